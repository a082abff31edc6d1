import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BundleEventLine } from '@custos/contracts';
import { chainHash } from '@custos/domain';
import { bundleLines, exampleBundle, runCli, type ExampleBundle } from '@custos/testing';

/**
 * The built `custos audit verify` on a bundle of several 4 MiB chunks, hashed on worker threads:
 * the same verdict, naming the same sequence number, as on one thread.
 */
describe('custos audit verify on worker threads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'custos-cli-'));
  const EVENTS = 50_000;
  let b: ExampleBundle;
  beforeAll(async () => {
    // A checkpoint every 5000 events, the last over the bundle's last event, as an export ends.
    b = await exampleBundle(1, EVENTS, { total: EVENTS, every: 5000 });
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function write(name: string, events: readonly BundleEventLine[]): string {
    const path = join(dir, `${name}.jsonl`);
    writeFileSync(path, `${bundleLines({ ...b, events: [...events] }).join('\n')}\n`);
    return path;
  }

  async function verify(path: string, threads: number): Promise<{ code: number | null; out: string }> {
    const result = await runCli(['audit', 'verify', path, '--threads', String(threads)]);
    return { code: result.code, out: (result.stdout + result.stderr).trim() };
  }

  async function sameOnAnyThreads(path: string): Promise<{ code: number | null; out: string }> {
    const [one, two, three] = await Promise.all([verify(path, 1), verify(path, 2), verify(path, 3)]);
    expect(two).toEqual(one);
    expect(three).toEqual(one);
    return one!;
  }

  it('verifies an untouched bundle of 50,000 events', async () => {
    expect(await sameOnAnyThreads(write('intact', b.events))).toEqual({ code: 0, out: `OK ${EVENTS} events, 10 checkpoints` });
  }, 60_000);

  it('names an altered event, a removed one and swapped ones wherever they are in the file', async () => {
    const altered = b.events.map((e) => (e.seq === 41_234 ? { ...e, targetId: 'tok_other' } : e));
    expect(await sameOnAnyThreads(write('altered', altered))).toEqual({ code: 1, out: 'FAIL seq 41234: hash does not match its content' });
    const removed = b.events.filter((e) => e.seq !== 12_800);
    expect(await sameOnAnyThreads(write('removed', removed))).toEqual({ code: 1, out: 'FAIL seq 12800: missing (expected 12800, found 12801)' });
    const swapped = [...b.events];
    [swapped[29_999], swapped[30_000]] = [swapped[30_000]!, swapped[29_999]!];
    expect(await sameOnAnyThreads(write('swapped', swapped))).toEqual({ code: 1, out: 'FAIL seq 30000: missing (expected 30000, found 30001)' });
  }, 60_000);

  it('names the checkpoint that signed the originals when events are rewritten with recomputed hashes', async () => {
    const rewritten = b.events.map((e) => ({ ...e }));
    let prevHash = rewritten[26_000]!.prevHash;
    for (const e of rewritten.slice(26_000)) {
      if (e.seq === 26_001) e.data = { reason: 'rewritten' };
      e.prevHash = prevHash;
      e.hash = chainHash(prevHash, e);
      prevHash = e.hash;
    }
    const { code, out } = await sameOnAnyThreads(write('rewritten', rewritten));
    expect(code).toBe(1);
    expect(out).toMatch(/^FAIL checkpoint at seq 30000: signs hash [0-9a-f]{64}, but event 30000 has [0-9a-f]{64}$/);
  }, 60_000);

  it('fails events after the last checkpoint unless --allow-unsigned, and a chain cut from its end, on any number of threads', async () => {
    const short = b.events.slice(0, 47_500);
    const open = write('cut', short);
    // The bundle still says it ends at 50,000: cut short, it fails where its events stop.
    expect(await sameOnAnyThreads(open)).toEqual({ code: 1, out: 'FAIL seq 47501: missing (the header says the period ends at 50000, the bundle ends before it)' });
    const tail = join(dir, 'tail.jsonl');
    const lines = bundleLines({ ...b, header: { ...b.header, lastSeq: 47_500 }, events: short, checkpoints: b.checkpoints.filter((c) => c.seq <= 45_000) });
    writeFileSync(tail, `${lines.join('\n')}\n`);
    expect(await sameOnAnyThreads(tail)).toEqual({
      code: 1,
      out: 'FAIL bundle: seq 45001-47500 come after its last signed checkpoint (seq 45000), so nothing authenticates them; pass --allow-unsigned to accept them unauthenticated',
    });
    expect(await runCli(['audit', 'verify', tail, '--allow-unsigned'])).toMatchObject({
      code: 0,
      stdout: 'OK 47500 events, 9 checkpoints; seq 45001-47500 not covered by a signed checkpoint (--allow-unsigned)\n',
    });
    const beyond = join(dir, 'beyond.jsonl');
    writeFileSync(beyond, `${bundleLines({ ...b, header: { ...b.header, lastSeq: 47_500 }, events: short }).join('\n')}\n`);
    expect(await sameOnAnyThreads(beyond)).toEqual({ code: 1, out: 'FAIL bundle: ends at seq 47500, but checkpoint ckp_50000 signed seq 50000: events were cut from the end of the chain' });
  }, 60_000);

  it('refuses what it cannot run, with exit code 2', async () => {
    const bundle = write('any', b.events.slice(0, 10));
    const cases: Array<[string[], string]> = [
      [['audit', 'verify', bundle, '--threads', '0'], '--threads must be a whole number from 1 to 64'],
      [['report', 'verify', bundle, '--jwks', bundle], 'report verify needs --signature'],
      [['report', 'verify', bundle, '--signature', bundle], 'report verify needs --jwks'],
      [['audit', 'check', bundle], 'unknown command: audit check'],
      [['audit', 'verify', bundle, '--checkpoints', bundle + '.missing'], 'ENOENT'],
      [['report', 'verify', bundle, '--signature', bundle, '--jwks', bundle, '--allow-unsigned'], '--allow-unsigned is for audit verify'],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args);
      expect({ code: result.code, said: result.stderr.includes(message) }).toEqual({ code: 2, said: true });
    }
  });
});
