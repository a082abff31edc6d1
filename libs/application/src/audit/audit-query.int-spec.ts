import { ErrorCode } from '@custos/contracts';
import { createTenant, insertPendingAuditEvent, moveAuditHead, storedAuditHead, testSecretBox, useMediumDatabase } from '@custos/fixtures';
import { ActorRepository, AuditChainRepository, AuditEventRepository, SigningKeyRepository } from '@custos/persistence';
import type { Principal } from '../auth/principal';
import { AuditCheckpoints } from './audit-checkpoints';
import { AuditLog, SYSTEM_ACTOR, type AuditEntry } from './audit-log';
import { AuditQuery } from './audit-query';
import { AuditSealer } from './audit-sealer';
import { SigningKeys } from './signing-keys';

const META = { requestId: 'req_query', ip: null };
const reader = (tenantId: string): Principal => ({
  tenantId,
  kind: 'user',
  id: 'usr_reader',
  email: null,
  name: null,
  scopes: ['custos:audit:read', 'custos:audit:checkpoint'],
  role: 'owner',
  ownerServiceId: null,
  sessionId: null,
});

/** AuditQuery on the real database: a tenant's trail, filtered and paged, and verified against its head and checkpoints. */
describe('AuditQuery', () => {
  const db = useMediumDatabase(6);
  const chain = new AuditChainRepository();
  const events = new AuditEventRepository();
  const sealer = new AuditSealer(db, chain, events);
  const audit = new AuditLog(sealer, events, chain);
  const keys = new SigningKeys(db, audit, testSecretBox(), new SigningKeyRepository());
  const checkpoints = new AuditCheckpoints(db, audit, sealer, keys, chain);
  const query = new AuditQuery(db, sealer, keys, chain, events, new ActorRepository());

  afterEach(() => sealer.drain());

  /** A tenant with five events: two users acting on tokens, one revocation; the clock read between the third and fourth. */
  async function tenantWithTrail(): Promise<{ tenantId: string; between: Date }> {
    const tenantId = await createTenant(db);
    const event = (action: 'token.issued' | 'token.revoked', actor: string, token: string): AuditEntry => ({
      action,
      actor: { type: 'user', id: actor },
      target: { type: 'token', id: token },
    });
    await db.tenant(tenantId, (tx) => audit.record(tx, META, event('token.issued', 'usr_ann', 'tok_1'), event('token.issued', 'usr_bob', 'tok_2')));
    await db.tenant(tenantId, (tx) => audit.record(tx, META, event('token.issued', 'usr_ann', 'tok_3')));
    await sealer.drain();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const between = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await db.tenant(tenantId, (tx) => audit.record(tx, META, event('token.revoked', 'usr_bob', 'tok_1'), event('token.issued', 'usr_bob', 'tok_4')));
    await sealer.drain();
    return { tenantId, between };
  }

  const seqs = (page: { items: Array<{ seq: number }> }) => page.items.map((e) => e.seq);

  it('lists newest first, filtered by action, actor, target and period', async () => {
    const { tenantId, between } = await tenantWithTrail();
    const principal = reader(tenantId);
    const all = await query.list(principal, { limit: 10 });
    expect(seqs(all)).toEqual([5, 4, 3, 2, 1]);
    expect(all.nextCursor).toBeNull();
    expect(all.items[1]).toEqual({
      seq: 4,
      occurredAt: expect.any(String),
      action: 'token.revoked',
      actorType: 'user',
      actorId: 'usr_bob',
      targetType: 'token',
      targetId: 'tok_1',
      requestId: 'req_query',
      data: {},
      prevHash: all.items[2]!.hash,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      // No one of the tenant is usr_bob: nothing more is known of the id.
      actor: null,
      targetActor: null,
    });
    expect(seqs(await query.list(principal, { action: 'token.revoked', limit: 10 }))).toEqual([4]);
    expect(seqs(await query.list(principal, { actorId: 'usr_ann', limit: 10 }))).toEqual([3, 1]);
    expect(seqs(await query.list(principal, { targetId: 'tok_1', limit: 10 }))).toEqual([4, 1]);
    expect(seqs(await query.list(principal, { to: between, limit: 10 }))).toEqual([3, 2, 1]);
    expect(seqs(await query.list(principal, { from: between, limit: 10 }))).toEqual([5, 4]);
    expect(seqs(await query.list(principal, { actorId: 'usr_bob', from: between, targetId: 'tok_4', limit: 10 }))).toEqual([5]);
  });

  it('pages by keyset: every event once, in order, the last page without a cursor', async () => {
    const { tenantId } = await tenantWithTrail();
    const principal = reader(tenantId);
    const first = await query.list(principal, { limit: 2 });
    const second = await query.list(principal, { limit: 2, cursor: first.nextCursor! });
    const third = await query.list(principal, { limit: 2, cursor: second.nextCursor! });
    expect([seqs(first), seqs(second), seqs(third)]).toEqual([[5, 4], [3, 2], [1]]);
    expect(third.nextCursor).toBeNull();
    // A filter applies on every page.
    const bob = await query.list(principal, { actorId: 'usr_bob', limit: 1 });
    expect(seqs(bob)).toEqual([5]);
    expect(seqs(await query.list(principal, { actorId: 'usr_bob', limit: 5, cursor: bob.nextCursor! }))).toEqual([4, 2]);
    await expect(query.list(principal, { limit: 2, cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: ErrorCode.VALIDATION_FAILED });
  });

  it("never shows another tenant's events", async () => {
    const { tenantId } = await tenantWithTrail();
    const other = await createTenant(db);
    await db.tenant(other, (tx) => audit.record(tx, META, { action: 'token.issued', actor: SYSTEM_ACTOR, target: { type: 'token', id: 'tok_other' } }));
    await sealer.drain();
    expect(seqs(await query.list(reader(other), { limit: 10 }))).toEqual([1]);
    expect((await query.list(reader(other), { targetId: 'tok_1', limit: 10 })).items).toEqual([]);
    expect((await query.list(reader(tenantId), { targetId: 'tok_other', limit: 10 })).items).toEqual([]);
    expect(await query.verify(reader(other))).toMatchObject({ valid: true, checkedEvents: 1, headSeq: 1 });
  });

  it('seals pending events before answering, so a page is complete', async () => {
    const { tenantId } = await tenantWithTrail();
    await insertPendingAuditEvent(db, tenantId, 'token.revoked', 'tok_pending');
    const page = await query.list(reader(tenantId), { limit: 1 });
    expect(page.items.map((e) => [e.seq, e.targetId])).toEqual([[6, 'tok_pending']]);
  });

  it('verifies the whole chain with its checkpoints, and names a stored head the chain does not end at', async () => {
    const { tenantId } = await tenantWithTrail();
    const principal = reader(tenantId);
    await checkpoints.sign(principal, META);
    expect(await query.verify(principal)).toEqual({
      valid: true,
      checkedEvents: 7, // five, the signing key's, the checkpoint's
      headSeq: 7,
      headHash: (await storedAuditHead(db, tenantId))!.hash,
      checkedCheckpoints: 1,
    });
    await moveAuditHead(db, tenantId, { seq: 9, hash: 'f'.repeat(64) });
    expect(await query.verify(principal)).toMatchObject({
      valid: false,
      firstInvalidSeq: 8,
      reason: expect.stringContaining(`the stored head is seq 9 with hash ${'f'.repeat(64)}, but the chain ends at seq 7`),
    });
  });
});
