import { ErrorCode } from '@custos/contracts';
import { ChainVerifier, GENESIS_HASH, chainHash, withFault } from './audit-chain';
import { ChainHeadContradiction, CheckpointWalk, contradictionOf } from './chain-head';
import { checkpointDue, checkpointSignatureProblem } from './checkpoint';

const h = (n: number): string => n.toString(16).padStart(64, '0');
const mark = (seq: number, eventSeq = seq + 1) => ({ id: `ckp_${seq}`, seq, hash: h(seq), eventSeq });

describe('a chain held against its signed checkpoints', () => {
  it('agrees with a checkpoint it reaches with the same hash, its own event included', () => {
    expect(contradictionOf({ seq: 37, hash: h(37) }, mark(36), h(36))).toBeNull();
  });

  it('is contradicted when it ends before the checkpoint, before its event, or differs at its seq', () => {
    expect(contradictionOf({ seq: 34, hash: h(34) }, mark(36), null)).toEqual({
      seq: 35,
      reason: 'the chain ends at seq 34 but checkpoint ckp_36 signed seq 36',
    });
    expect(contradictionOf({ seq: 36, hash: h(36) }, mark(36), h(36))).toEqual({
      seq: 37,
      reason: 'the chain ends at seq 36 but checkpoint ckp_36 recorded itself as event 37',
    });
    expect(contradictionOf({ seq: 40, hash: h(40) }, mark(36), h(99))).toEqual({
      seq: 36,
      reason: `checkpoint ckp_36 signed hash ${h(36)} for seq 36, but event 36 has ${h(99)}: the chain was rewritten at or before seq 36`,
    });
    expect(contradictionOf({ seq: 40, hash: h(40) }, mark(36), null)).toEqual({ seq: 36, reason: 'event 36, which checkpoint ckp_36 signed, is missing' });
  });

  it('refuses a contradicted head as a conflict that says why', () => {
    const refused = new ChainHeadContradiction({ seq: 35, reason: 'the chain ends at seq 34 but checkpoint ckp_36 signed seq 36' });
    expect(refused).toMatchObject({ code: ErrorCode.CONFLICT, name: 'ChainHeadContradiction' });
    expect(refused.message).toContain('(the chain ends at seq 34 but checkpoint ckp_36 signed seq 36)');
  });

  describe('the walk over every stored checkpoint', () => {
    const head = { seq: 20, hash: h(20) };
    const walk = (...steps: Array<[ReturnType<typeof mark> & { prev: string | null }, string | null, string | null]>) => {
      const w = new CheckpointWalk(head);
      for (const [c, hashAt, problem] of steps) w.add(c, hashAt, problem);
      return w.result();
    };

    it('passes checkpoints linked one to the next that agree with the chain', () => {
      expect(walk([{ ...mark(4), prev: null }, h(4), null], [{ ...mark(9), prev: 'ckp_4' }, h(9), null])).toEqual({ checkedCheckpoints: 2, fault: null });
    });

    it('keeps the first fault: a signature, a broken or missing link, or a disagreement with the chain', () => {
      expect(walk([{ ...mark(4), prev: null }, h(4), 'the signed hash differs from the stored one'], [{ ...mark(30), prev: 'ckp_4' }, null, null]).fault).toEqual({
        seq: 4,
        reason: 'checkpoint ckp_4 (seq 4): the signed hash differs from the stored one',
      });
      expect(walk([{ ...mark(4), prev: 'ckp_1' }, h(4), null]).fault).toEqual({
        seq: 4,
        reason: 'checkpoint ckp_4 (seq 4) names ckp_1 as the one before it, but no checkpoint before it is stored: checkpoints were deleted or forged',
      });
      expect(walk([{ ...mark(4), prev: null }, h(4), null], [{ ...mark(9), prev: 'ckp_7' }, h(9), null]).fault?.reason).toBe(
        'checkpoint ckp_9 (seq 9) names ckp_7 as the one before it, but the checkpoint before it is ckp_4: checkpoints were deleted or forged',
      );
      expect(walk([{ ...mark(4), prev: null }, h(4), null], [{ ...mark(30), prev: 'ckp_4' }, null, null]).fault).toEqual({
        seq: 21,
        reason: 'the chain ends at seq 20 but checkpoint ckp_30 signed seq 30',
      });
    });
  });

  it('names the fault that comes first in sequence order, the walk\'s own on a tie', () => {
    const events = [1, 2, 3].reduce<Array<{ prevHash: string; hash: string; seq: number }>>((chain, seq) => {
      const prevHash = chain.at(-1)?.hash ?? GENESIS_HASH;
      const body = { tenantId: 't', seq, occurredAt: 'x', action: 'a', actorType: 'system', actorId: null, targetType: null, targetId: null, requestId: null, data: {} };
      return [...chain, { ...body, prevHash, hash: chainHash(prevHash, body) }];
    }, []);
    const verifier = new ChainVerifier();
    for (const e of events) verifier.add({ tenantId: 't', occurredAt: 'x', action: 'a', actorType: 'system', actorId: null, targetType: null, targetId: null, requestId: null, data: {}, ...e });
    const valid = verifier.verdict();
    expect(withFault(valid, null)).toBe(valid);
    expect(withFault(valid, { seq: 4, reason: 'cut' })).toMatchObject({ valid: false, firstInvalidSeq: 4, reason: 'cut' });
    const broken = { ...valid, valid: false, firstInvalidSeq: 2, reason: 'seq 2: hash does not match its content' };
    expect(withFault(broken, { seq: 4, reason: 'cut' })).toBe(broken);
    expect(withFault(broken, { seq: 2, reason: 'cut' })).toBe(broken);
    expect(withFault(broken, { seq: 1, reason: 'first' })).toMatchObject({ firstInvalidSeq: 1, reason: 'first' });
  });
});

describe('when a checkpoint is due', () => {
  const at = new Date('2026-01-01T00:00:00Z');
  const later = (ms: number) => new Date(at.getTime() + ms);
  const latest = { eventSeq: 100, at };

  it('never while the head has not moved past the latest checkpoint\'s own event', () => {
    expect(checkpointDue(100, latest, { everyEvents: 1, maxAgeMs: 1 }, later(3_600_000))).toBe(false);
  });

  it('after N events, or once the latest is old enough; each rule off when null', () => {
    expect(checkpointDue(1100, latest, { everyEvents: 1000, maxAgeMs: null }, at)).toBe(true);
    expect(checkpointDue(1099, latest, { everyEvents: 1000, maxAgeMs: null }, later(3_600_000))).toBe(false);
    expect(checkpointDue(101, latest, { everyEvents: 1000, maxAgeMs: 300_000 }, later(300_000))).toBe(true);
    expect(checkpointDue(101, latest, { everyEvents: 1000, maxAgeMs: 300_000 }, later(299_999))).toBe(false);
  });

  it('for a tenant without one: at once under the age rule, after N events under the count rule', () => {
    expect(checkpointDue(3, null, { everyEvents: null, maxAgeMs: 300_000 }, at)).toBe(true);
    expect(checkpointDue(3, null, { everyEvents: 1000, maxAgeMs: null }, at)).toBe(false);
    expect(checkpointDue(0, null, { everyEvents: 1, maxAgeMs: 1 }, at)).toBe(false);
  });
});

describe('a checkpoint JWS vouching for what is shown', () => {
  const shown = { id: 'ckp_1', tenantId: 'ten_1', seq: 4, hash: h(4), at: '2026-01-01T00:00:00.000Z', prev: null };

  it('passes when the signed payload is exactly what is shown', () => {
    expect(checkpointSignatureProblem({ valid: true, payload: JSON.stringify(shown) }, shown, 'the stored one')).toBeNull();
  });

  it('names what differs, or why the signature fails', () => {
    expect(checkpointSignatureProblem({ valid: true, payload: JSON.stringify({ ...shown, hash: h(5) }) }, shown, 'the stored one')).toBe(
      'the signed hash differs from the stored one',
    );
    expect(checkpointSignatureProblem({ valid: true, payload: JSON.stringify({ ...shown, seq: 5, at: 'x' }) }, shown, "the bundle's")).toBe(
      "the signed seq, at differ from the bundle's",
    );
    expect(checkpointSignatureProblem({ valid: true, payload: '[]' }, shown, 'x')).toBe('its signed payload is not a checkpoint');
    expect(checkpointSignatureProblem({ valid: false, reason: 'signature does not verify with kid k' }, shown, 'x')).toBe('signature does not verify with kid k');
  });
});
