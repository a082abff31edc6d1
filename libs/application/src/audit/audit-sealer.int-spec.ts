import { createTenant, insertPendingAuditEvent, storedAuditEvents, storedAuditHead, useMediumDatabase } from '@custos/fixtures';
import { ChainVerifier, GENESIS_HASH } from '@custos/domain';
import { AuditChainRepository, AuditEventRepository, CHAIN_HEAD_IF_FREE } from '@custos/persistence';
import { AuditLog, SYSTEM_ACTOR, type AuditEntry } from './audit-log';
import { AuditSealer } from './audit-sealer';

const issued = (tokenId: string): AuditEntry => ({ action: 'token.issued', actor: SYSTEM_ACTOR, target: { type: 'token', id: tokenId } });
const metaOf = (requestId: string) => ({ requestId, ip: null });

// @runsAlone: it seals every tenant of the run's database (npm test runs it after the rest, by itself).
/** AuditSealer on the real database: one chain per tenant, continuous whoever writes and however many at once. */
describe('AuditSealer', () => {
  const db = useMediumDatabase(10);
  const chain = new AuditChainRepository();
  const events = new AuditEventRepository();
  const sealer = new AuditSealer(db, chain, events);
  const audit = new AuditLog(sealer, events, chain);

  afterEach(() => sealer.drain());

  /** The tenant's sealed events recomputed as a chain: seq 1.. without gaps, each linked to the one before. */
  async function chainVerdict(tenantId: string) {
    const sealed = await db.tenant(tenantId, (tx) => events.sealedAfter(tx, 0, 10_000));
    const verifier = new ChainVerifier();
    for (const event of sealed) verifier.add(event);
    return verifier.verdict();
  }

  it('keeps one continuous chain under 20 parallel writers of one tenant', async () => {
    const tenantId = await createTenant(db);
    // Each writer commits 1-3 events; every fourth seals its own when the head is free, as the issue path
    // does, half of those with the head locked by their BEGIN (an issue batch's opening read).
    await Promise.all(
      Array.from({ length: 20 }, (_, w) =>
        db.tenant(
          tenantId,
          (tx) => {
            const entries = Array.from({ length: 1 + (w % 3) }, (_, i) => issued(`tok_w${w}_${i}`));
            return w % 4 === 0 ? audit.recordSealedIfFree(tx, metaOf(`req_${w}`), null, ...entries) : audit.record(tx, metaOf(`req_${w}`), ...entries);
          },
          w % 8 === 0 ? { opening: [CHAIN_HEAD_IF_FREE] } : {},
        ),
      ),
    );
    await sealer.drain();
    const stored = await storedAuditEvents(db, tenantId);
    // 7 writers of one event, 7 of two, 6 of three.
    expect(stored).toHaveLength(39);
    expect(stored.filter((e) => e.seq === null)).toEqual([]);
    expect(stored.map((e) => e.seq).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 39 }, (_, i) => i + 1));
    const verdict = await chainVerdict(tenantId);
    expect(verdict).toMatchObject({ valid: true, checkedEvents: 39, headSeq: 39 });
    expect(await storedAuditHead(db, tenantId)).toEqual({ seq: 39, hash: verdict.headHash });
    // One writer's events keep its order.
    const seqOf = (tokenId: string) => stored.find((e) => e.targetId === tokenId)!.seq!;
    expect(seqOf('tok_w5_0')).toBeLessThan(seqOf('tok_w5_1'));
    expect(seqOf('tok_w5_1')).toBeLessThan(seqOf('tok_w5_2'));
    expect(seqOf('tok_w8_1')).toBeLessThan(seqOf('tok_w8_2'));
  });

  it("keeps two tenants' chains apart: each starts at seq 1 from the genesis hash", async () => {
    const [a, b] = [await createTenant(db), await createTenant(db)];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => db.tenant(i % 2 === 0 ? a : b, (tx) => audit.record(tx, metaOf(`req_${i}`), issued(`tok_${i}`)))),
    );
    await db.tenant(a, (tx) => audit.record(tx, metaOf('req_a'), issued('tok_a_only')));
    await sealer.drain();
    const [chainA, chainB] = [await storedAuditEvents(db, a), await storedAuditEvents(db, b)];
    expect(chainA.map((e) => e.seq).sort((x, y) => x! - y!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(chainB.map((e) => e.seq).sort((x, y) => x! - y!)).toEqual([1, 2, 3, 4, 5]);
    expect(chainA.find((e) => e.seq === 1)!.prevHash).toBe(GENESIS_HASH);
    expect(chainB.find((e) => e.seq === 1)!.prevHash).toBe(GENESIS_HASH);
    expect(chainB.map((e) => e.targetId)).not.toContain('tok_a_only');
    expect(await chainVerdict(a)).toMatchObject({ valid: true, checkedEvents: 6 });
    expect(await chainVerdict(b)).toMatchObject({ valid: true, checkedEvents: 5 });
    expect((await storedAuditHead(db, a))!.hash).not.toBe((await storedAuditHead(db, b))!.hash);
  });

  it('seals, in insertion order, events committed without a seal (a crash between commit and seal)', async () => {
    const tenantId = await createTenant(db);
    await db.tenant(tenantId, (tx) => audit.record(tx, metaOf('req_before'), issued('tok_before')));
    await sealer.drain();
    await insertPendingAuditEvent(db, tenantId, 'token.revoked', 'tok_pending_1');
    await insertPendingAuditEvent(db, tenantId, 'token.revoked', 'tok_pending_2');
    expect((await storedAuditEvents(db, tenantId)).map((e) => e.seq)).toEqual([1, null, null]);
    expect(await sealer.sealTenant(tenantId)).toBe(2);
    expect(await sealer.sealTenant(tenantId)).toBe(0);
    const stored = await storedAuditEvents(db, tenantId);
    expect(stored.map((e) => [e.seq, e.targetId])).toEqual([
      [1, 'tok_before'],
      [2, 'tok_pending_1'],
      [3, 'tok_pending_2'],
    ]);
    expect(await chainVerdict(tenantId)).toMatchObject({ valid: true, checkedEvents: 3 });
  });

  it("the worker's sweep seals every tenant left with pending events", async () => {
    const [a, b] = [await createTenant(db), await createTenant(db)];
    await insertPendingAuditEvent(db, a);
    await insertPendingAuditEvent(db, b);
    await insertPendingAuditEvent(db, b);
    // Other tests' tenants of the run's database may be swept too: at least these three events.
    expect(await sealer.sealAll()).toBeGreaterThanOrEqual(3);
    expect((await storedAuditEvents(db, a)).map((e) => e.seq)).toEqual([1]);
    expect((await storedAuditEvents(db, b)).map((e) => e.seq)).toEqual([1, 2]);
    expect(await storedAuditHead(db, b)).toMatchObject({ seq: 2 });
  });
});
