import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { deleteRedisKeys, REPO_ROOT, startLauncher, type RunningLauncher } from '@custos/testing';
import { codeOf, commandsOf, runInOneShell, SHELL_LANGUAGES, type BlockRun } from './support/readme-blocks';

/** Where the README's blocks expect `npm start`; the test's own start listens elsewhere. */
const README_BASE_URL = /\bhttps?:\/\/(?:localhost|127\.0\.0\.1):3000\b/g;

/**
 * The README as a newcomer uses it: after `npm start`, every shell block pasted in order into one
 * terminal in the repository. Blocks that start the product or run the tests say so by a marker
 * (`<!-- readme-test: skip (reason) -->`); every other one runs here, as written, against a fresh start.
 */
describe('the README, pasted block by block into a fresh shell', () => {
  const { blocks, indented, strayMarkers } = codeOf(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'));
  const shellBlocks = blocks.filter((b) => SHELL_LANGUAGES.has(b.lang));
  const runnable = shellBlocks.filter((b) => b.skip === null);

  it('keeps its two set-up commands, marked as not run here, and every other command in a block with a language', () => {
    expect({
      skipped: shellBlocks.filter((b) => b.skip !== null).map((b) => ({ code: b.code, skip: b.skip })),
      indentedCodeAtLines: indented,
      blocksWithoutLanguageAtLines: blocks.filter((b) => b.lang === '').map((b) => b.line),
      markersBeforeNoBlockAtLines: strayMarkers,
    }).toEqual({
      skipped: [
        { code: 'npm ci && npm start', skip: 'starts the product' },
        { code: 'npm ci && npm test', skip: 'runs the tests' },
      ],
      indentedCodeAtLines: [],
      blocksWithoutLanguageAtLines: [],
      markersBeforeNoBlockAtLines: [],
    });
    // Every address the blocks call is the one the test replaces with its own start's.
    expect(runnable.map((b) => b.code.replace(README_BASE_URL, '')).join('\n')).not.toMatch(/localhost|127\.0\.0\.1|:3000\b/);
  });

  describe('against a fresh start', () => {
    // A prefix of its own: this start's worker takes no other run's jobs from the shared Redis.
    const queuePrefix = `{custos-readme-${randomBytes(4).toString('hex')}}`;
    let app: RunningLauncher;
    let workDir: string;
    let run: Awaited<ReturnType<typeof runInOneShell>>;
    const outputOf = (needle: string): BlockRun => {
      const index = runnable.findIndex((b) => b.code.includes(needle));
      if (index < 0) throw new Error(`no README block calls ${needle}`);
      return run.blocks[index]!;
    };

    beforeAll(async () => {
      app = await startLauncher({ env: { CUSTOS_QUEUE_PREFIX: queuePrefix, LOG_LEVEL: 'warn' } });
      // "This directory" of the README is the repository after `npm start`: its build is in dist/.
      // The blocks' files (the cookie jar, downloads) go to a directory of the test's own.
      workDir = mkdtempSync(join(tmpdir(), 'custos-readme-'));
      symlinkSync(join(REPO_ROOT, 'dist'), join(workDir, 'dist'));
      // A fresh terminal: no CUSTOS_*, DATABASE_URL or the like, and none of npm's node_modules/.bin.
      const path = (process.env.PATH ?? '')
        .split(delimiter)
        .filter((dir) => !dir.split('/').includes('node_modules'))
        .join(delimiter);
      run = await runInOneShell(
        runnable.map((b) => commandsOf(b).replace(README_BASE_URL, app.url)),
        { cwd: workDir, env: { PATH: path, HOME: workDir, LANG: 'C.UTF-8' }, timeoutMs: 90_000 },
      );
    }, 240_000);

    afterAll(async () => {
      await app?.stop();
      if (workDir) rmSync(workDir, { recursive: true, force: true });
      await deleteRedisKeys(process.env.REDIS_URL!, `${queuePrefix}*`);
    }, 60_000);

    it('runs every block to its end, and the shell exits 0', () => {
      const failed = run.blocks.findIndex((b) => !b.done);
      expect({
        exitCode: run.exitCode,
        signal: run.signal,
        failedBlockAtLine: failed < 0 ? null : runnable[failed]!.line,
        itsStderr: failed < 0 ? '' : run.blocks[failed]!.stderr,
        shell: run.shellStderr,
      }).toEqual({ exitCode: 0, signal: null, failedBlockAtLine: null, itsStderr: '', shell: '' });
      expect(runnable.length).toBeGreaterThanOrEqual(3);
    });

    it('signs up, makes a service key with the session, and with the key issues a token that verifies VALID', () => {
      const answer = JSON.parse(outputOf('/v1/verify').stdout) as Record<string, unknown>;
      expect(answer).toMatchObject({ valid: true, code: 'VALID', scopes: ['orders:read'] });
    });

    it("verifies the downloaded audit export offline against the tenant's keys", () => {
      expect(outputOf('audit verify').stdout).toMatch(/^OK \d+ events, [1-9]\d* checkpoints?\n$/);
    });
  });
});
