import { CHECKPOINT_JWS_TYPE, type BundleCheckpointLine, type BundleEventLine, type BundleHeaderLine } from '@custos/contracts';
import { generateSigningKey, signJws } from '@custos/crypto';
import { GENESIS_HASH, chainHash, checkpointPayloadJson } from '@custos/domain';
import {
  BUNDLE_TENANT as TENANT,
  bundleLines as lines,
  exampleBundle as bundle,
  signedCheckpoint,
  type ExampleBundle as Bundle,
} from '@custos/testing';
import { describeVerdict, verifyBundle, type BundleVerdict, type VerifyOptions } from './bundle-verifier';

const verify = (text: readonly string[], jwks?: unknown): Promise<BundleVerdict> => verifyBundle(text, { jwks });
const said = async (text: readonly string[], jwks?: unknown): Promise<string> => describeVerdict(await verify(text, jwks));
const saidWith = async (text: readonly string[], options: VerifyOptions): Promise<string> => describeVerdict(await verifyBundle(text, options));
const kept = (...checkpoints: BundleCheckpointLine[]) => checkpoints.map((c, i) => ({ jws: c.jws, source: `kept ${i + 1}` }));

describe('audit bundle verification', () => {
  let b: Bundle & { all: BundleCheckpointLine[] };
  beforeAll(async () => {
    b = await bundle();
  });

  it('accepts an untouched bundle, counting its events and checkpoints', async () => {
    expect(await said(lines(b))).toBe('OK 12 events, 3 checkpoints');
  });

  it('accepts a period that starts inside the chain, from the header prevHash on', async () => {
    expect(await said(lines(await bundle(3, 12)))).toBe('OK 10 events, 3 checkpoints');
  });

  it('accepts a bundle read asynchronously, as from a file', async () => {
    const text = lines(b);
    async function* stream(): AsyncGenerator<string> {
      for (const l of text) yield l;
    }
    expect(await verifyBundle(stream())).toEqual({ ok: true, events: 12, checkpoints: 3, kept: 0, unsigned: null });
  });

  it('names the altered event when any one character of any event line changes', async () => {
    const text = lines(b);
    for (let seq = 1; seq <= 12; seq++) {
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
    const last = lines(b).filter((_, i) => i !== 12);
    expect(await said(last)).toBe('FAIL seq 12: missing (the header says the period ends at 12, the bundle ends before it)');
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
    expect(await said(lines(b), { keys: [b.key.publicJwk] })).toBe('OK 12 events, 3 checkpoints');
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
    expect(await said(forged)).toBe('OK 12 events, 3 checkpoints');
    expect(await said(forged, { keys: [b.key.publicJwk] })).toBe(`FAIL checkpoint at seq 4: signature does not verify: no key with kid ${forger.kid} in the JWKS`);
  });

  it('refuses a checkpoint line whose fields differ from what was signed, or that breaks the prev links', async () => {
    const moved = b.checkpoints.map((c) => (c.seq === 8 ? { ...c, at: '2030-01-01T00:00:00.000Z' } : c));
    expect(await said(lines({ ...b, checkpoints: moved }))).toBe("FAIL checkpoint at seq 8: the signed at differs from the bundle's");
    const withoutFirst = lines({ ...b, checkpoints: b.checkpoints.filter((c) => c.seq !== 4) });
    expect(await said(withoutFirst)).toBe('OK 12 events, 2 checkpoints');
    const withoutMiddle = lines({ ...b, checkpoints: b.checkpoints.filter((c) => c.seq !== 8) });
    expect(await said(withoutMiddle)).toBe('FAIL checkpoint at seq 12: prev names ckp_8, but the checkpoint before it is ckp_4');
  });

  it('refuses a header that does not fit its events', async () => {
    expect(await said(lines({ ...b, header: { ...b.header, lastSeq: 13 } }))).toMatch(/^FAIL seq 13: missing/);
    expect(await said(lines({ ...b, header: { ...b.header, tenantId: 'ten_other' } }))).toBe('FAIL seq 1: belongs to tenant ten_bundle, not ten_other');
    const late = await bundle(3, 9);
    expect(await said(lines({ ...late, header: { ...late.header, prevHash: GENESIS_HASH } }))).toBe("FAIL seq 3: prevHash does not link to the header's prevHash");
    expect(await said(lines({ ...b, header: { ...b.header, prevHash: 'f'.repeat(64) } }))).toBe('FAIL bundle: the period starts at seq 1, so prevHash must be 64 zeros');
    expect(await said(lines(b).slice(1))).toBe('FAIL bundle: line 1 is not a header');
    expect(await said(lines(b).slice(0, -1))).toBe('FAIL checkpoint at seq 4: cannot be checked: the bundle has no JWKS line and no JWKS was given');
    expect(await said(lines({ ...b, checkpoints: [] }).slice(0, -1))).toBe('FAIL bundle: has no JWKS line and no JWKS was given');
    // Cut short: where the events stop says more than the missing keys.
    expect(await said(lines(b).slice(0, 7))).toBe('FAIL seq 7: missing (the header says the period ends at 12, the bundle ends before it)');
    expect(await said(lines({ ...b, header: { ...b.header, to: 'yesterday' } }))).toBe(
      "FAIL bundle: the header's from, to and generatedAt must be ISO 8601 instants (from and to may be null)",
    );
  });

  it('accepts an empty period and refuses events in it', async () => {
    const empty: BundleHeaderLine = { ...b.header, prevHash: null, firstSeq: null, lastSeq: null };
    const jwks = JSON.stringify({ type: 'jwks', keys: [b.key.publicJwk] });
    expect(await said([JSON.stringify(empty), jwks])).toBe('OK 0 events, 0 checkpoints');
    expect(await said([JSON.stringify(empty), JSON.stringify(b.events[0]), jwks])).toBe('FAIL bundle: line 2 is an event, but the header says the period has none');
  });

  describe('signatures over the events (issue 12, finding 13)', () => {
    it('fails a bundle without a signed checkpoint, unless --allow-unsigned, which says what is not authenticated', async () => {
      const unsigned = lines({ ...b, checkpoints: [] });
      expect(await said(unsigned)).toBe(
        'FAIL bundle: has no signed checkpoint over its events, so nothing authenticates them (seq 1-12); pass --allow-unsigned to accept them unauthenticated',
      );
      expect(await saidWith(unsigned, { allowUnsigned: true })).toBe('OK 12 events, 0 checkpoints; seq 1-12 not covered by a signed checkpoint (--allow-unsigned)');
    });

    it('fails events after the last checkpoint the same way', async () => {
      const tail = lines(await bundle(1, 10));
      expect(await said(tail)).toBe(
        'FAIL bundle: seq 9-10 come after its last signed checkpoint (seq 8), so nothing authenticates them; pass --allow-unsigned to accept them unauthenticated',
      );
      expect(await saidWith(tail, { allowUnsigned: true })).toBe('OK 10 events, 2 checkpoints; seq 9-10 not covered by a signed checkpoint (--allow-unsigned)');
    });

    it('passes an empty period: there is nothing to authenticate', async () => {
      const empty: BundleHeaderLine = { ...b.header, prevHash: null, firstSeq: null, lastSeq: null };
      expect(await said([JSON.stringify(empty), JSON.stringify({ type: 'jwks', keys: [] })])).toBe('OK 0 events, 0 checkpoints');
    });
  });

  describe('events cut from the end of the chain (issue 12, finding 4)', () => {
    /** Events 1-10 of the 12, with the checkpoints over all 12: a cut chain exported with its checkpoints. */
    const cut = (header: Partial<BundleHeaderLine> = {}): Bundle => ({ ...b, header: { ...b.header, lastSeq: 10, ...header }, events: b.events.slice(0, 10) });

    it('refuses an open-ended bundle with a checkpoint of its own beyond its last event', async () => {
      expect(await saidWith(lines(cut()), { allowUnsigned: true })).toBe(
        'FAIL bundle: ends at seq 10, but checkpoint ckp_12 signed seq 12: events were cut from the end of the chain',
      );
    });

    it('refuses a bounded one when that checkpoint was signed before the period ended, and takes it as the next one after', async () => {
      expect(await saidWith(lines(cut({ to: '2026-01-03T00:00:00.000Z' })), { allowUnsigned: true })).toBe(
        "FAIL bundle: ends at seq 10, but checkpoint ckp_12 signed seq 12 at 2026-01-02T00:00:00.000Z, before the period's end 2026-01-03T00:00:00.000Z: events were cut from the end of the period",
      );
      const earlier = lines(cut({ to: '2026-01-01T00:00:11.000Z' }));
      expect(await saidWith(earlier, { allowUnsigned: true })).toBe('OK 10 events, 3 checkpoints; seq 9-10 not covered by a signed checkpoint (--allow-unsigned)');
    });

    it('agrees with checkpoints kept from elsewhere, and counts them', async () => {
      expect(await saidWith(lines(b), { kept: kept(...b.all) })).toBe('OK 12 events, 3 checkpoints (and 3 from --checkpoints)');
      // Checked with the bundle's keys: one signed by another key is refused.
      expect(await saidWith(lines(await bundle(1, 10)), { kept: kept(b.all[2]!) })).toMatch(/^FAIL checkpoint from --checkpoints \(kept 1\): signature does not verify/);
      // A kept checkpoint covers the tail the bundle's own do not.
      const tail = { ...b, header: { ...b.header, lastSeq: 10 }, events: b.events.slice(0, 10), checkpoints: b.checkpoints.slice(0, 2) };
      const ten = await signedCheckpoint(b.key, b.events[9]!, { id: 'ckp_10', at: '2026-01-02T00:00:00.000Z', prev: 'ckp_8' });
      expect(await saidWith(lines(tail), { kept: kept(ten) })).toBe('OK 10 events, 2 checkpoints (and 1 from --checkpoints)');
    });

    it('refuses a bundle cut and signed again, against a checkpoint kept from before the cut', async () => {
      // Events 11-12 deleted with their checkpoint, and the head signed again three days on.
      const resigned = await signedCheckpoint(b.key, b.events[9]!, { id: 'ckp_10', at: '2026-01-05T00:00:00.000Z', prev: 'ckp_8' });
      const again = { ...b, header: { ...b.header, lastSeq: 10 }, events: b.events.slice(0, 10), checkpoints: [...b.checkpoints.slice(0, 2), resigned] };
      expect(await said(lines(again))).toBe('OK 10 events, 3 checkpoints');
      const twelve = b.all[2]!;
      expect(await saidWith(lines(again), { kept: kept(twelve) })).toBe(
        `FAIL checkpoint at seq 10 (ckp_10) was signed at 2026-01-05T00:00:00.000Z, after checkpoint ckp_12 (from --checkpoints) had signed seq 12 at 2026-01-02T00:00:00.000Z: the chain was cut back and signed again in between`,
      );
      // The other way round: the older bundle, verified with the newer one's checkpoint.
      expect(await saidWith(lines(b), { kept: kept(resigned) })).toBe(
        `FAIL checkpoint at seq 10 (ckp_10, from --checkpoints) was signed at 2026-01-05T00:00:00.000Z, after checkpoint ckp_12 had signed seq 12 at 2026-01-02T00:00:00.000Z: the chain was cut back and signed again in between`,
      );
    });

    it('refuses a kept checkpoint the events disagree with, a second one at the same seq, and one of another tenant', async () => {
      const other = await signedCheckpoint(b.key, b.events[5]!, { id: 'ckp_6', at: '2026-01-02T00:00:00.000Z', prev: null, hash: GENESIS_HASH });
      expect(await saidWith(lines(b), { kept: kept(other) })).toBe(
        `FAIL checkpoint at seq 6 (ckp_6, from --checkpoints): signs hash ${GENESIS_HASH}, but event 6 has ${b.events[5]!.hash}`,
      );
      const twin = await signedCheckpoint(b.key, b.events[7]!, { id: 'ckp_8b', at: '2026-01-02T00:00:00.000Z', prev: 'ckp_4' });
      expect(await saidWith(lines(b), { kept: kept(twin) })).toBe('FAIL checkpoint at seq 8: ckp_8 and ckp_8b (from --checkpoints) both sign it: the chain was rewritten');
      const foreign = await signedCheckpoint(b.key, b.events[7]!, { id: 'ckp_x', at: '2026-01-02T00:00:00.000Z', prev: null, tenantId: 'ten_other' });
      expect(await saidWith(lines(b), { kept: kept(foreign) })).toBe(`FAIL checkpoint ckp_x from --checkpoints (kept 1) is of tenant ten_other, not the bundle's ${TENANT}`);
    });

    it('refuses a kept checkpoint beyond an open-ended bundle signed before it was made, even with --allow-unsigned', async () => {
      const tail = { ...b, header: { ...b.header, lastSeq: 10 }, events: b.events.slice(0, 10), checkpoints: b.checkpoints.slice(0, 2) };
      expect(await saidWith(lines(tail), { kept: kept(b.all[2]!), allowUnsigned: true })).toBe(
        'FAIL bundle: ends at seq 10, but checkpoint ckp_12 (from --checkpoints) signed seq 12 at 2026-01-02T00:00:00.000Z, before the bundle was made (2026-01-03T00:00:00.000Z): events were cut from the end of the chain',
      );
    });
  });
});
