import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleLines, exampleBundle, type ExampleBundle } from '@custos/testing';
import { describeVerdict, verifyBundle } from './bundle-verifier';
import { inlineScanner } from './chunk-scanner';
import { verifyBundleFile } from './verify-file';

/**
 * A file is verified in chunks, runs of clean events taken whole and the rest read line by line: the
 * verdict must be, word for word, the one of reading every line in order, wherever the chunks fall.
 */
describe('verifying a bundle file in chunks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'custos-verify-'));
  let b: ExampleBundle;
  let text: string[];
  beforeAll(async () => {
    b = await exampleBundle(3, 40, { total: 48, every: 8 });
    // Header, events 3-40 (lines 1-38), checkpoints at 8, 16, ..., 40 (lines 39-43), the JWKS (line 44).
    text = bundleLines(b);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let files = 0;
  async function both(lines: readonly string[], chunkBytes: number): Promise<{ chunked: string; sequential: string }> {
    const path = join(dir, `${files++}.jsonl`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    const chunked = describeVerdict(await verifyBundleFile(path, { scanner: inlineScanner(), chunkBytes }));
    return { chunked, sequential: describeVerdict(await verifyBundle(lines)) };
  }

  // Chunks of about one event, a few events, and the whole file.
  const SIZES = [300, 1500, 1 << 20];

  it('accepts the untouched bundle in chunks of any size', async () => {
    for (const size of SIZES) expect(await both(text, size)).toEqual({ chunked: 'OK 38 events, 5 checkpoints', sequential: 'OK 38 events, 5 checkpoints' });
  });

  it('gives the sequential verdict for a changed character in any line', async () => {
    for (let i = 0; i < text.length; i++) {
      const original = text[i]!;
      const at = Math.floor(original.length / 2);
      const altered = [...text];
      altered[i] = original.slice(0, at) + (original[at] === 'a' ? 'b' : 'a') + original.slice(at + 1);
      const { chunked, sequential } = await both(altered, SIZES[i % 2]!);
      expect(chunked).toBe(sequential);
      expect(chunked).toMatch(/^FAIL /);
    }
  });

  it('gives the sequential verdict for lines removed, swapped, repeated or moved', async () => {
    const cases: string[][] = [];
    for (const i of [1, 2, 20, 38, 40, 44]) cases.push(text.filter((_, j) => j !== i));
    for (const i of [1, 19, 38]) cases.push([...text.slice(0, i), text[i + 1]!, text[i]!, ...text.slice(i + 2)]);
    cases.push([...text.slice(0, 10), text[9]!, ...text.slice(10)]);
    cases.push([...text.slice(0, 10), text[40]!, ...text.slice(10)]); // a checkpoint among the events
    cases.push([...text.slice(0, 39), '', ...text.slice(39)]);
    for (const lines of cases) {
      for (const size of SIZES) {
        const { chunked, sequential } = await both(lines, size);
        expect(chunked).toBe(sequential);
        expect(chunked).toMatch(/^FAIL /);
      }
    }
  });

  it('stops hashing chunks once a fault is found, and still names the fault', async () => {
    const altered = [...text];
    altered[2] = altered[2]!.replace('token.', 'token-');
    const path = join(dir, 'early-fault.jsonl');
    writeFileSync(path, `${altered.join('\n')}\n`);
    const inline = inlineScanner();
    let scanned = 0;
    const counting = { ...inline, scan: (chunk: Uint8Array) => (scanned++, inline.scan(chunk)) };
    const chunks = Math.ceil(Buffer.byteLength(altered.join('\n')) / 300);
    expect(describeVerdict(await verifyBundleFile(path, { scanner: counting, chunkBytes: 300 }))).toBe(describeVerdict(await verifyBundle(altered)));
    expect(chunks).toBeGreaterThan(20);
    // The fault is on the third line; at most the two chunks in flight after it are still hashed.
    expect(scanned).toBeLessThanOrEqual(5);
  });

  it('reads CRLF line ends as the sequential reader does', async () => {
    const path = join(dir, 'crlf.jsonl');
    writeFileSync(path, `${text.join('\r\n')}\r\n`);
    expect(describeVerdict(await verifyBundleFile(path, { scanner: inlineScanner(), chunkBytes: 700 }))).toBe('OK 38 events, 5 checkpoints');
  });
});
