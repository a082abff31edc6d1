import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PACKAGE_DIR = join(__dirname, '..', '..');

export interface PackedSdk {
  /** A temporary directory holding the rest. */
  work: string;
  /** An empty npm project that installed the tarball: scripts written here import `@custos/node` from it. */
  consumer: string;
  /** The `npm pack` tarball. */
  tarball: string;
  /** Deletes `work`. */
  remove(): void;
}

/** tsdown by its file, not by `npx`: the build must run wherever node_modules/.bin lacks it. */
function tsdownCli(): string {
  const manifest = require.resolve('tsdown/package.json');
  return join(dirname(manifest), 'dist/run.mjs');
}

/**
 * The SDK as a user receives it: built, packed with `npm pack`, and installed from the tarball into an
 * empty project, offline (the package has no dependencies to fetch: everything it needs is bundled).
 * Built into a staged copy of the package rather than its own dist/: tests running at the same time (and
 * tsdown's clean of its output directory) never meet there.
 */
export async function installPackedSdk(): Promise<PackedSdk> {
  const work = mkdtempSync(join(tmpdir(), 'custos-sdk-pack-'));
  const remove = (): void => rmSync(work, { recursive: true, force: true });
  try {
    const stage = join(work, 'package');
    const consumer = join(work, 'consumer');
    mkdirSync(consumer);
    // Everything but build output: npm pack picks from it by package.json's `files`, as it would in place.
    cpSync(PACKAGE_DIR, stage, { recursive: true, filter: (source) => !['dist', 'node_modules'].includes(relative(PACKAGE_DIR, source)) });
    await run(process.execPath, [tsdownCli(), '--config-loader', 'native', '--out-dir', join(stage, 'dist')], { cwd: PACKAGE_DIR });
    // Built just above: prepack would build again, into the package's own dist/.
    await run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: stage });
    const tarball = join(work, readdirSync(work).find((file) => file.endsWith('.tgz'))!);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: consumer });
    return { work, consumer, tarball, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
