import { CHECKPOINT_JWS_TYPE, type BundleEventLine, type BundleHeaderLine } from '@custos/contracts';
import { generateSigningKey, signJws } from '@custos/crypto';
import { GENESIS_HASH, chainHash, checkpointPayloadJson } from '@custos/domain';
import { BUNDLE_TENANT as TENANT, bundleLines as lines, exampleBundle as bundle, type ExampleBundle as Bundle } from '@custos/testing';
import { describeVerdict, verifyBundle, type BundleVerdict } from './bundle-verifier';

const verify = (text: readonly string[], jwks?: unknown): Promise<BundleVerdict> => verifyBundle(text, { jwks });
const said = async (text: readonly string[], jwks?: unknown): Promise<string> => describeVerdict(await verify(text, jwks));

describe('audit bundle verification', () => {
  let b: Bundle;
  beforeAll(async () => {
    b = await bundle();
  });

  it('accepts an untouched bundle, counting its events and checkpoints', async () => {
    expect(await said(lines(b))).toBe('OK 10 events, 3 checkpoints');
  });

  it('accepts a period that starts inside the chain, from the header prevHash on', async () => {
    expect(await said(lines(await bundle(3, 9)))).toBe('OK 7 events, 3 checkpoints');
  });

  it('accepts a bundle read asynchronously, as from a file', async () => {
    const text = lines(b);
    async function* stream(): AsyncGenerator<string> {
      for (const l of text) yield l;
    }
    expect(await verifyBundle(stream())).toEqual({ ok: true, events: 10, checkpoints: 3 });
  });

  it('names the altered event when any one character of any event line changes', async () => {
    const text = lines(b);
    for (let seq = 1; seq <= 10; seq++) {
      const original = text[seq]!;
      for (const at of [2, 20, Math.floor(original.length / 2), original.length - 3]) {
        const altered = [...text];
        const ch = original[at] === 'a' ? 'b' : 'a';
        altered[seq] = original.slice(0, at) + ch + original.slice(at + 1);
        expect(await said(altered)).toMatch(new RegExp(`^FAIL seq ${seq}: `));
      }
    }
  });

  it('says why: content, link, gap, order', async () => {
    const edit = (seq: number, change: (e: BundleEventLine) => BundleEventLine): string[] =>
      lines({ ...b, events: b.events.map((e) => (e.seq === seq ? change(e) : e)) });
    expect(await said(edit(5, (e) => ({ ...e, action: 'token.reissued' })))).toBe('FAIL seq 5: hash does not match its content');
    expect(await said(edit(5, (e) => ({ ...e, prevHash: GENESIS_HASH })))).toBe('FAIL seq 5: prevHash does not link to seq 4');
    expect(await said(edit(5, (e) => ({ ...e, hash: e.hash.toUpperCase() })))).toBe('FAIL seq 5: line 6: hash missing or malformed');
    expect(await said(edit(5, (e) => ({ ...e, prevHash: 'zz' })))).toBe('FAIL seq 5: line 6: prevHash missing or malformed');
    expect(await said(edit(5, (e) => ({ ...e, seq: 0, hash: 'zz' })))).toBe('FAIL seq 5: line 6: seq, hash missing or malformed');
    const withoutFive = lines(b).filter((_, i) => i !== 5);
    expect(await said(withoutFive)).toBe('FAIL seq 5: missing (expected 5, found 6)');
    const swapped = lines(b);
    [swapped[5], swapped[6]] = [swapped[6]!, swapped[5]!];
    expect(await said(swapped)).toBe('FAIL seq 5: missing (expected 5, found 6)');
    const last = lines(b).filter((_, i) => i !== 10);
    expect(await said(last)).toBe('FAIL seq 10: missing (the header says the period ends at 10, the bundle ends before it)');
  });

  it('notices events rewritten with recomputed hashes, at the checkpoint that signed the originals', async () => {
    const events = b.events.map((e) => ({ ...e }));
    events[1]!.action = 'token.reissued';
    let prevHash = GENESIS_HASH;
    for (const e of events) {
      e.prevHash = prevHash;
      e.hash = chainHash(prevHash, e);
      prevHash = e.hash;
    }
    expect(await said(lines({ ...b, events }))).toMatch(/^FAIL checkpoint at seq 4: signs hash [0-9a-f]{64}, but event 4 has [0-9a-f]{64}$/);
  });

  it("fails at the first checkpoint when the JWKS is someone else's, given in the bundle or by path", async () => {
    const stranger = await generateSigningKey();
    const expected = `FAIL checkpoint at seq 4: signature does not verify: no key with kid ${b.key.kid} in the JWKS`;
    expect(await said(lines(b, { type: 'jwks', keys: [stranger.publicJwk] }))).toBe(expected);
    expect(await said(lines(b), { keys: [stranger.publicJwk] })).toBe(expected);
    expect(await said(lines(b), { keys: [b.key.publicJwk] })).toBe('OK 10 events, 3 checkpoints');
  });

  it('refuses checkpoints re-signed by another key when the auditor brings the real JWKS', async () => {
    const forger = await generateSigningKey();
    const resigned = await Promise.all(
      b.checkpoints.map(async (c) => ({
        ...c,
        jws: await signJws(forger.privateJwk, checkpointPayloadJson({ id: c.id, tenantId: TENANT, seq: c.seq, hash: c.hash, at: c.at, prev: c.prev }), CHECKPOINT_JWS_TYPE),
      })),
    );
    const forged = lines({ ...b, checkpoints: resigned, key: forger });
    expect(await said(forged)).toBe('OK 10 events, 3 checkpoints');
    expect(await said(forged, { keys: [b.key.publicJwk] })).toBe(`FAIL checkpoint at seq 4: signature does not verify: no key with kid ${forger.kid} in the JWKS`);
  });

  it('refuses a checkpoint line whose fields differ from what was signed, or that breaks the prev links', async () => {
    const moved = b.checkpoints.map((c) => (c.seq === 8 ? { ...c, at: '2030-01-01T00:00:00.000Z' } : c));
    expect(await said(lines({ ...b, checkpoints: moved }))).toBe("FAIL checkpoint at seq 8: the signed at differs from the bundle's");
    const withoutFirst = lines({ ...b, checkpoints: b.checkpoints.filter((c) => c.seq !== 4) });
    expect(await said(withoutFirst)).toBe('OK 10 events, 2 checkpoints');
    const withoutMiddle = lines({ ...b, checkpoints: b.checkpoints.filter((c) => c.seq !== 8) });
    expect(await said(withoutMiddle)).toBe('FAIL checkpoint at seq 12: prev names ckp_8, but the checkpoint before it is ckp_4');
  });

  it('refuses a header that does not fit its events', async () => {
    expect(await said(lines({ ...b, header: { ...b.header, lastSeq: 11 } }))).toMatch(/^FAIL seq 11: missing/);
    expect(await said(lines({ ...b, header: { ...b.header, tenantId: 'ten_other' } }))).toBe('FAIL seq 1: belongs to tenant ten_bundle, not ten_other');
    const late = await bundle(3, 9);
    expect(await said(lines({ ...late, header: { ...late.header, prevHash: GENESIS_HASH } }))).toBe("FAIL seq 3: prevHash does not link to the header's prevHash");
    expect(await said(lines({ ...b, header: { ...b.header, prevHash: 'f'.repeat(64) } }))).toBe('FAIL bundle: the period starts at seq 1, so prevHash must be 64 zeros');
    expect(await said(lines(b).slice(1))).toBe('FAIL bundle: line 1 is not a header');
    expect(await said(lines(b).slice(0, -1))).toBe('FAIL checkpoint at seq 4: cannot be checked: the bundle has no JWKS line and no JWKS was given');
    expect(await said(lines({ ...b, checkpoints: [] }).slice(0, -1))).toBe('FAIL bundle: has no JWKS line and no JWKS was given');
    // Cut short: where the events stop says more than the missing keys.
    expect(await said(lines(b).slice(0, 7))).toBe('FAIL seq 7: missing (the header says the period ends at 10, the bundle ends before it)');
  });

  it('accepts an empty period and refuses events in it', async () => {
    const empty: BundleHeaderLine = { ...b.header, prevHash: null, firstSeq: null, lastSeq: null };
    const jwks = JSON.stringify({ type: 'jwks', keys: [b.key.publicJwk] });
    expect(await said([JSON.stringify(empty), jwks])).toBe('OK 0 events, 0 checkpoints');
    expect(await said([JSON.stringify(empty), JSON.stringify(b.events[0]), jwks])).toBe('FAIL bundle: line 2 is an event, but the header says the period has none');
  });
});
