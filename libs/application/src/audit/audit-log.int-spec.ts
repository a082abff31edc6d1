import { createTenant, insertTenant, renameTenant, storedAuditEvents, storedAuditHead, tenantName, useMediumDatabase } from '@custos/fixtures';
import { GENESIS_HASH } from '@custos/domain';
import { AuditChainRepository, AuditEventRepository } from '@custos/persistence';
import { AuditLog, SYSTEM_ACTOR, type AuditEntry } from './audit-log';
import { AuditSealer, type ChainHead } from './audit-sealer';

const META = { requestId: 'req_medium', ip: '203.0.113.9' };
const revoked = (tokenId: string): AuditEntry => ({
  action: 'token.revoked',
  actor: SYSTEM_ACTOR,
  target: { type: 'token', id: tokenId },
  data: { reason: 'medium test' },
});

/** A promise and the function that resolves it: lets two transactions take turns. */
function signal(): { wait: Promise<void>; fire: () => void } {
  let fire = (): void => undefined;
  const wait = new Promise<void>((resolve) => (fire = resolve));
  return { wait, fire };
}

/** AuditLog on the real database: no audit, no change, and no change, no audit. */
describe('AuditLog', () => {
  const db = useMediumDatabase(6);
  const chain = new AuditChainRepository();
  const events = new AuditEventRepository();
  const sealer = new AuditSealer(db, chain, events);
  const audit = new AuditLog(sealer, events, chain);

  afterEach(() => sealer.drain());

  it('writes an event in the caller transaction, sealed right after it commits', async () => {
    const tenantId = await createTenant(db);
    await db.tenant(tenantId, (tx) => audit.record(tx, META, revoked('tok_committed')));
    await sealer.drain();
    expect(await storedAuditEvents(db, tenantId)).toEqual([
      {
        seq: 1,
        action: 'token.revoked',
        actorId: null,
        targetId: 'tok_committed',
        requestId: 'req_medium',
        data: { reason: 'medium test', ipNetwork: '203.0.113.0/24' },
        prevHash: GENESIS_HASH,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);
  });

  it('writes nothing when the caller transaction rolls back', async () => {
    const tenantId = await createTenant(db);
    await expect(
      db.tenant(tenantId, async (tx) => {
        await audit.record(tx, META, revoked('tok_rolled_back'));
        throw new Error('the change failed after its event was written');
      }),
    ).rejects.toThrow('the change failed');
    await sealer.drain();
    expect(await storedAuditEvents(db, tenantId)).toEqual([]);
    expect(await storedAuditHead(db, tenantId)).toBeNull();
  });

  it('runs a change and its events in one statement, and writes neither when the change fails', async () => {
    const tenantId = await createTenant(db, 'before');
    await db.tenant(tenantId, (tx) =>
      audit.recordWith(tx, META, renameTenant(tenantId, 'after'), {
        action: 'policy.updated',
        actor: SYSTEM_ACTOR,
        target: { type: 'tenant', id: tenantId },
      }),
    );
    expect(await tenantName(db, tenantId)).toBe('after');
    // The tenant exists: inserting it again violates the primary key, and takes its event with it.
    await expect(
      db.tenant(tenantId, (tx) => audit.recordWith(tx, META, insertTenant(tenantId, 'twice'), revoked('tok_never'))),
    ).rejects.toMatchObject({ code: '23505' });
    await sealer.drain();
    expect((await storedAuditEvents(db, tenantId)).map((e) => [e.seq, e.action])).toEqual([[1, 'policy.updated']]);
  });

  it('refuses a change without its event, and an event outside a tenant', async () => {
    const tenantId = await createTenant(db);
    await expect(db.tenant(tenantId, (tx) => audit.recordWith(tx, META, renameTenant(tenantId, 'silent')))).rejects.toThrow(
      'a change needs its audit event',
    );
    await expect(db.system((tx) => audit.record(tx, META, revoked('tok_nowhere')))).rejects.toThrow('audit events belong to a tenant transaction');
    expect(await tenantName(db, tenantId)).toBe('Medium test org');
  });

  it('writes events already sealed when nobody holds the head, unsealed for the sealer when someone does', async () => {
    const tenantId = await createTenant(db);
    await db.tenant(tenantId, (tx) => audit.record(tx, META, revoked('tok_first')));
    await sealer.drain();
    // Free head: sealed in the writing statement, before any seal could run.
    await db.tenant(tenantId, (tx) => audit.recordSealedIfFree(tx, META, null, revoked('tok_free_1'), revoked('tok_free_2')));
    expect((await storedAuditEvents(db, tenantId)).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(await storedAuditHead(db, tenantId)).toMatchObject({ seq: 3 });

    // Busy head: a bulk writer holds it until told to let go.
    const held = signal();
    const release = signal();
    const holder = db.tenant(tenantId, async (tx) => {
      await audit.lockChainHead(tx, { skipLocked: false });
      held.fire();
      await release.wait;
    });
    await held.wait;
    await db.tenant(tenantId, (tx) => audit.recordSealedIfFree(tx, META, null, revoked('tok_busy')));
    expect((await storedAuditEvents(db, tenantId)).map((e) => e.seq)).toEqual([1, 2, 3, null]);
    release.fire();
    await holder;
    await sealer.drain();
    const stored = await storedAuditEvents(db, tenantId);
    expect(stored.map((e) => [e.seq, e.targetId])).toEqual([
      [1, 'tok_first'],
      [2, 'tok_free_1'],
      [3, 'tok_free_2'],
      [4, 'tok_busy'],
    ]);
    expect(stored[3]!.prevHash).toBe(stored[2]!.hash);
  });

  it('lets one bulk writer at a time chain sealed events, the next one skipping the tenant while it works', async () => {
    const tenantId = await createTenant(db);
    const held = signal();
    const release = signal();
    let firstHead: ChainHead | null = null;
    const first = db.tenant(tenantId, async (tx) => {
      firstHead = await audit.lockChainHead(tx, { skipLocked: true });
      const moved = await audit.recordSealed(tx, firstHead!, META, revoked('tok_bulk_1'), revoked('tok_bulk_2'));
      const after = await audit.recordSealed(tx, moved, META, revoked('tok_bulk_3'));
      held.fire();
      await release.wait;
      return after;
    });
    await held.wait;
    expect(await db.tenant(tenantId, (tx) => audit.lockChainHead(tx, { skipLocked: true }))).toBeNull();
    release.fire();
    const head = await first;
    expect(firstHead).toMatchObject({ seq: 0, hash: GENESIS_HASH, contradiction: null });
    expect(head).toMatchObject({ seq: 3, contradiction: null });
    expect(await storedAuditHead(db, tenantId)).toEqual({ seq: 3, hash: head.hash });
    // Free again once the first writer committed.
    const next = await db.tenant(tenantId, (tx) => audit.lockChainHead(tx, { skipLocked: true }));
    expect(next).toMatchObject({ seq: 3, hash: head.hash });
  });
});
