import { join } from 'node:path';

/** bench/ is compiled to dist/bench/ (see the `bench` script): the repository root is two levels up. */
export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const API_MAIN = join(REPO_ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
export const SERVERS_DIR = join(__dirname, '..', 'servers');
export const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');
