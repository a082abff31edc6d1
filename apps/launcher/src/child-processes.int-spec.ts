import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive, pollUntil } from '@custos/testing';
import { ChildProcesses } from './child-processes';
import type { RestartLimits } from './restart-policy';

/** Short waits, so a test sees several restarts in well under a second. */
const FAST: RestartLimits = { initialBackoffMs: 20, maxBackoffMs: 100, maxCrashes: 3, windowMs: 60_000 };

/**
 * Real processes in place of api and worker: each start appends "<name> <pid> <MARK>" to a file, then
 * the steady one runs until signalled and the crashing one exits with code 3 at once.
 */
describe('ChildProcesses (the launcher supervising api and worker)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'custos-supervise-'));
  const starts = join(dir, 'starts.log');
  const steady = join(dir, 'steady.js');
  const crashing = join(dir, 'crashing.js');
  const record = `require('fs').appendFileSync(${JSON.stringify(starts)}, process.env.NAME + ' ' + process.pid + ' ' + process.env.MARK + '\\n');`;
  writeFileSync(steady, `${record}\nsetInterval(() => undefined, 1000);\nprocess.once('SIGTERM', () => process.exit(0));\n`);
  writeFileSync(crashing, `${record}\nprocess.exit(3);\n`);

  let said: string[];
  let children: ChildProcesses;
  const startsOf = (name: string): Array<{ pid: number; mark: string }> =>
    readFileSync(starts, 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .filter(([n]) => n === name)
      .map(([, pid, mark]) => ({ pid: Number(pid), mark: mark! }));
  const env = (name: string, mark: string): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, NAME: name, MARK: mark });

  beforeEach(() => {
    writeFileSync(starts, '');
    said = [];
  });
  afterEach(() => children?.kill());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts a killed child again with the same environment, while the other keeps running', async () => {
    children = new ChildProcesses((line) => said.push(line), FAST);
    children.start('api', steady, env('api', 'api-env'));
    children.start('worker', steady, env('worker', 'worker-env'));
    const [api] = await pollUntil(() => Promise.resolve(startsOf('api')), (s) => s.length === 1);
    const [worker] = await pollUntil(() => Promise.resolve(startsOf('worker')), (s) => s.length === 1);

    process.kill(api!.pid, 'SIGKILL');
    const apiStarts = await pollUntil(() => Promise.resolve(startsOf('api')), (s) => s.length === 2);

    expect(apiStarts[1]!.mark).toBe('api-env');
    expect(apiStarts[1]!.pid).not.toBe(api!.pid);
    expect(isProcessAlive(apiStarts[1]!.pid)).toBe(true);
    expect(startsOf('worker')).toEqual([worker]);
    expect(isProcessAlive(worker!.pid)).toBe(true);
    expect(said).toContain(
      'the api process exited unexpectedly (signal SIGKILL): starting it again in 20 ms (crash 1 in the last 60 s; at 3 the launcher gives up)',
    );
    expect(said).toContain(`the api process started (pid ${apiStarts[1]!.pid})`);
    expect(await children.stop('SIGTERM', 5_000)).toEqual([]);
  });

  it('gives up on a child that crashes again and again, leaving the other running until stopped', async () => {
    children = new ChildProcesses((line) => said.push(line), FAST);
    children.start('api', steady, env('api', 'api-env'));
    children.start('worker', crashing, env('worker', 'worker-env'));

    const gaveUp = await children.gaveUp;
    expect(gaveUp).toEqual({ exit: { name: 'worker', code: 3, signal: null }, crashesInWindow: 3, windowMs: 60_000 });
    expect(startsOf('worker')).toHaveLength(3);
    const [api] = startsOf('api');
    expect(isProcessAlive(api!.pid)).toBe(true);

    expect(await children.stop('SIGTERM', 5_000)).toEqual([]);
    expect(isProcessAlive(api!.pid)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(startsOf('worker')).toHaveLength(3);
  });

  it('starts nothing again once stopping, not even a restart that was already due', async () => {
    children = new ChildProcesses((line) => said.push(line), { ...FAST, initialBackoffMs: 200, maxBackoffMs: 1_000 });
    children.start('worker', crashing, env('worker', 'worker-env'));
    await pollUntil(() => Promise.resolve(said), (lines) => lines.some((l) => l.includes('starting it again in 200 ms')));

    expect(await children.stop('SIGTERM', 5_000)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(startsOf('worker')).toHaveLength(1);
  });
});
