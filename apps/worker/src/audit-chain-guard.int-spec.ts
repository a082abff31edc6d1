import { randomBytes } from 'node:crypto';
import { AuditCheckpoints, AuditLog, AuditSealer, SYSTEM_ACTOR, SigningKeys, type AuditEntry } from '@custos/application';
import { SecretBox } from '@custos/crypto';
import { ChainHeadContradiction } from '@custos/domain';
import { AuditChainRepository, AuditEventRepository, Database, SigningKeyRepository, createDataSource, runMigrations } from '@custos/persistence';
import { adminUrl, alterCheckpointHash, appUrl, cutAuditChain, storedChain, withAdminClient, withPgClient } from '@custos/testing';

const META = { requestId: null, ip: null };
const issued = (n: number): AuditEntry => ({ action: 'token.issued', actor: SYSTEM_ACTOR, target: { type: 'token', id: `tok_${n}` } });

/**
 * Issue 12, finding 4: once a tenant's chain contradicts its latest signed checkpoint (events cut from
 * its end behind the application), nothing is chained onto it: not by the sealer, not by the writers
 * that seal as they write, not by a checkpoint. Their events stay unsealed, the refusal is counted, and
 * the other tenants are sealed and signed as before. The worker's schedule signs after N events or once
 * the latest checkpoint is old. The schedule looks at every tenant of the database, hence one of its own.
 */
describe('a chain head that contradicts its latest checkpoint', () => {
  const name = `custos_guard_${randomBytes(4).toString('hex')}`;
  const owner = { ownerUrl: adminUrl(name) };
  let db: Database;
  let sealer: AuditSealer;
  let audit: AuditLog;
  let checkpoints: AuditCheckpoints;
  let forged: string;

  async function tenantWith(events: number): Promise<string> {
    const tenantId = `ten_guard_${randomBytes(4).toString('hex')}`;
    await db.tenant(tenantId, async (tx) => {
      await tx.rows(`INSERT INTO tenants (id, name) VALUES ($1, 'guarded')`, [tenantId]);
      await audit.record(tx, META, ...Array.from({ length: events }, (_, i) => issued(i)));
    });
    await sealer.drain();
    return tenantId;
  }

  /** Committed and left unsealed, as after a crash between commit and seal. */
  const pendingEvent = (tenantId: string) =>
    withPgClient(owner.ownerUrl, (client) =>
      client.query(`INSERT INTO audit_events (tenant_id, occurred_at, action, actor_type) VALUES ($1, now(), 'token.revoked', 'system')`, [tenantId]),
    );

  beforeAll(async () => {
    await withAdminClient('postgres', (client) => client.query(`CREATE DATABASE ${name}`));
    await runMigrations(adminUrl(name));
    db = new Database(createDataSource({ url: appUrl(name), poolSize: 4 }));
    await db.dataSource.initialize();
    const chain = new AuditChainRepository();
    const events = new AuditEventRepository();
    sealer = new AuditSealer(db, chain, events);
    audit = new AuditLog(sealer, events, chain);
    const keys = new SigningKeys(db, audit, new SecretBox(randomBytes(32).toString('base64url')), new SigningKeyRepository());
    checkpoints = new AuditCheckpoints(db, audit, sealer, keys, chain);
    // Events 1-4, the checkpoint over 4 (its key and itself: 5, 6), 7-8; then cut back to 3.
    forged = await tenantWith(4);
    expect(await checkpoints.signIfDue(forged, { everyEvents: 1, maxAgeMs: null })).toMatchObject({ seq: 4 });
    await db.tenant(forged, (tx) => audit.record(tx, META, issued(7), issued(8)));
    await sealer.drain();
    await cutAuditChain(forged, 3, owner);
  }, 60_000);

  afterAll(async () => {
    await sealer?.drain();
    await db?.dataSource.destroy();
    await withAdminClient('postgres', (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });

  it('writers that seal as they write leave their events unsealed, and the head where it is', async () => {
    const refusals = sealer.refusals;
    await db.tenant(forged, (tx) => audit.recordSealedIfFree(tx, META, null, issued(10)));
    await db.tenant(forged, async (tx) => {
      const head = await audit.lockChainHead(tx, { skipLocked: true });
      expect(head).toMatchObject({ seq: 3, contradiction: expect.any(ChainHeadContradiction) });
      expect(await audit.recordSealed(tx, head!, META, issued(11))).toBe(head);
    });
    await sealer.drain();
    expect(await storedChain(forged, owner)).toEqual({ headSeq: 3, unsealed: 2 });
    // Each writer's refusal, and the sealer's after each commit.
    expect(sealer.refusals - refusals).toBe(4);
  });

  it('the sealer refuses the forged tenant and goes on to seal the others', async () => {
    const other = await tenantWith(2);
    await pendingEvent(other);
    await pendingEvent(forged);
    await expect(sealer.sealTenant(forged)).rejects.toThrow(
      /The audit chain contradicts a signed checkpoint \(the chain ends at seq 3 but checkpoint ckp_\w+ signed seq 4\)/,
    );
    expect(await sealer.sealAll()).toBe(1);
    expect(await storedChain(other, owner)).toEqual({ headSeq: 3, unsealed: 0 });
    expect(await storedChain(forged, owner)).toEqual({ headSeq: 3, unsealed: 3 });
  });

  it('no checkpoint signs the forged head', async () => {
    await expect(checkpoints.signIfDue(forged, { everyEvents: 1, maxAgeMs: null })).rejects.toBeInstanceOf(ChainHeadContradiction);
  });

  it('the schedule signs a tenant after N events, or once its latest checkpoint is old, skipping a forged one', async () => {
    // A checkpoint row whose hash was altered, on a chain that moved on since: due, and refused.
    const altered = await tenantWith(4);
    const signed = await checkpoints.signIfDue(altered, { everyEvents: 1, maxAgeMs: null });
    await db.tenant(altered, (tx) => audit.record(tx, META, ...[7, 8, 9, 10, 11, 12].map(issued)));
    await sealer.drain();
    await alterCheckpointHash(altered, signed!.id, '0'.repeat(64), owner);
    const few = await tenantWith(2);
    const many = await tenantWith(5);
    const refusals = sealer.refusals;
    // Of the tenants here, only `many` and `altered` moved 5 events past their latest checkpoint (or none).
    expect(await checkpoints.signDue({ everyEvents: 5, maxAgeMs: null })).toBe(1);
    expect(sealer.refusals - refusals).toBe(1);
    expect(await checkpoints.signIfDue(many, { everyEvents: 5, maxAgeMs: null })).toBeNull(); // just signed
    expect(await checkpoints.signIfDue(few, { everyEvents: 5, maxAgeMs: null })).toBeNull();
    await db.tenant(many, (tx) => audit.record(tx, META, issued(20)));
    await sealer.drain();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // By age: every tenant that moved since its latest checkpoint, or has none; the forged ones are not signed.
    expect(await checkpoints.signDue({ everyEvents: null, maxAgeMs: 10 })).toBe(3); // few, many, the one the sealer sealed
    expect(await storedChain(altered, owner)).toEqual({ headSeq: 12, unsealed: 0 });
    expect(await storedChain(forged, owner)).toMatchObject({ headSeq: 3 });
    expect(await checkpoints.signDue({ everyEvents: null, maxAgeMs: 60_000 })).toBe(0);
  });
});
