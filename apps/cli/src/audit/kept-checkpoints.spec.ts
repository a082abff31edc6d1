import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleLines, exampleBundle, type ExampleBundle } from '@custos/testing';
import { readKeptCheckpoints } from './kept-checkpoints';

/** Whatever an auditor saved a checkpoint in, its JWS is found. */
describe('checkpoints kept from elsewhere (--checkpoints)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'custos-kept-'));
  let b: ExampleBundle;
  let jws: string[];
  beforeAll(async () => {
    b = await exampleBundle();
    jws = b.checkpoints.map((c) => c.jws);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let files = 0;
  const saved = (text: string): string => {
    const path = join(dir, `${files++}`);
    writeFileSync(path, text);
    return path;
  };
  const found = async (text: string): Promise<string[]> => (await readKeptCheckpoints(saved(text))).map((k) => k.jws);

  it('reads an earlier bundle, naming the line each came from', async () => {
    const path = saved(`${bundleLines(b).join('\n')}\n`);
    const kept = await readKeptCheckpoints(path);
    expect(kept.map((k) => k.jws)).toEqual(jws);
    expect(kept[0]!.source).toBe(`${path} line ${b.events.length + 2}`);
  });

  it('reads saved webhook payloads, a page of GET /v1/audit-events/checkpoints, pretty-printed or not, and bare JWS', async () => {
    const payloads = b.checkpoints.map((c) => ({ type: 'audit.checkpoint_signed', data: { checkpointId: c.id, seq: c.seq, jws: c.jws } }));
    expect(await found(payloads.map((p) => JSON.stringify(p)).join('\n'))).toEqual(jws);
    expect(await found(JSON.stringify(payloads, null, 2))).toEqual(jws);
    expect(await found(JSON.stringify({ items: b.checkpoints, nextCursor: null }, null, 2))).toEqual(jws);
    expect(await found(`${jws.join('\r\n')}\r\n`)).toEqual(jws);
  });

  it('refuses a file with no checkpoint in it', async () => {
    await expect(found('{"type":"header"}\nnot json\n')).rejects.toThrow(/holds no checkpoint \(no compact JWS, and no "jws" member in its JSON\)/);
  });
});
