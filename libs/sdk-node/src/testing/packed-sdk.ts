import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
    const consumer = join(work, 'consumer');
    mkdirSync(consumer);
    const tarball = await runsTarball(work);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: consumer });
    return { work, consumer, tarball, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

/**
 * The tarball, built once per `npm test` when it names a directory of its own (CUSTOS_TEST_RUN_DIR,
 * made and removed by scripts/test.mjs): the build's declarations take about 20 s, and two suites
 * install the package. Each still installs it into a project of its own. Without the directory (jest
 * run by hand), built every time.
 */
async function runsTarball(work: string): Promise<string> {
  const runDir = process.env.CUSTOS_TEST_RUN_DIR;
  const shared = runDir ? join(runDir, 'custos-node.tgz') : undefined;
  if (shared && existsSync(shared)) return shared;
  const tarball = await buildAndPack(work);
  if (shared) {
    // Whole or not at all, should suites in two workers pack at once.
    copyFileSync(tarball, `${shared}.${process.pid}`);
    renameSync(`${shared}.${process.pid}`, shared);
  }
  return tarball;
}

async function buildAndPack(work: string): Promise<string> {
  const stage = join(work, 'package');
  // Everything but build output: npm pack picks from it by package.json's `files`, as it would in place.
  cpSync(PACKAGE_DIR, stage, { recursive: true, filter: (source) => !['dist', 'node_modules'].includes(relative(PACKAGE_DIR, source)) });
  await run(process.execPath, [tsdownCli(), '--config-loader', 'native', '--out-dir', join(stage, 'dist')], { cwd: PACKAGE_DIR });
  // Built just above: prepack would build again, into the package's own dist/.
  await run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: stage });
  return join(work, readdirSync(work).find((file) => file.endsWith('.tgz'))!);
}
