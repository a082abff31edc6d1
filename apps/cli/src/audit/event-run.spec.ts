import { bundleLines, exampleBundle, type ExampleBundle } from '@custos/testing';
import { BundleVerifier, describeVerdict } from './bundle-verifier';
import { scanEventRun } from './event-run';

const bytes = (lines: readonly string[]): Uint8Array => new Uint8Array(Buffer.from(`${lines.join('\n')}\n`));

describe('runs of clean events, scanned apart from the verifier', () => {
  let b: ExampleBundle;
  let text: string[];
  beforeAll(async () => {
    b = await exampleBundle(1, 12);
    text = bundleLines(b);
  });

  it('covers the leading consecutive, linked, correctly hashed events of a chunk', () => {
    const run = scanEventRun(bytes(text.slice(1, 11)));
    expect(run).toMatchObject({ lines: 10, firstSeq: 1, firstPrevHash: b.events[0]!.prevHash, lastHash: b.events[9]!.hash, tenantId: b.header.tenantId });
    expect(Buffer.from(run.hashes).toString('hex')).toBe(b.events.slice(0, 10).map((e) => e.hash).join(''));
  });

  it('stops before the first line that is not the next clean event, and says where it starts in bytes', () => {
    const altered = text.slice(1, 11);
    altered[6] = altered[6]!.replace('token.', 'token-'); // seq 7's hash no longer matches
    const chunk = bytes(altered);
    const run = scanEventRun(chunk);
    expect(run.lines).toBe(6);
    expect(Buffer.from(chunk.subarray(run.restOffset)).toString('utf8').startsWith(altered[6]!)).toBe(true);
    // Multi-byte characters before the stop: the offset counts bytes, not characters.
    const withWide = bytes([...text.slice(1, 4), '{"type":"checkpoint","x":"ü€𝄞"}', ...text.slice(4, 6)]);
    const wide = scanEventRun(withWide);
    expect(wide.lines).toBe(3);
    expect(Buffer.from(withWide.subarray(wide.restOffset)).toString('utf8').startsWith('{"type":"checkpoint","x":"ü€𝄞"}')).toBe(true);
    expect(scanEventRun(bytes(text.slice(0, 3))).lines).toBe(0); // the header is no event
  });

  it('is taken whole by the verifier only where it continues the chain', async () => {
    const verifier = new BundleVerifier();
    verifier.line(text[0]!);
    for (const line of text.slice(1, 4)) verifier.line(line);
    expect(verifier.acceptRun(scanEventRun(bytes(text.slice(5, 9))))).toBe(false); // seq 5 is not next (4 is)
    expect(verifier.acceptRun(scanEventRun(bytes(text.slice(4, 9))))).toBe(true);
    for (const line of text.slice(9)) verifier.line(line);
    expect(describeVerdict(await verifier.verdict())).toBe('OK 12 events, 3 checkpoints');
  });

  it('is not taken past the header\'s lastSeq or for another tenant', async () => {
    const verifier = new BundleVerifier();
    verifier.line(JSON.stringify({ ...b.header, lastSeq: 5 }));
    expect(verifier.acceptRun(scanEventRun(bytes(text.slice(1, 8))))).toBe(false);
    const other = new BundleVerifier();
    other.line(JSON.stringify({ ...b.header, tenantId: 'ten_other' }));
    expect(other.acceptRun(scanEventRun(bytes(text.slice(1, 8))))).toBe(false);
  });
});
