import { randomBytes } from 'node:crypto';
import { DomainError, generateToken } from '@custos/domain';
import { SecretBox, TokenHasher } from '@custos/crypto';
import { AuditChainRepository, AuditEventRepository, Database, PolicyRepository, SigningKeyRepository, createDataSource, type TokenEntity, type Tx } from '@custos/persistence';
import { AuditLog, SYSTEM_ACTOR } from '../audit/audit-log';
import { AuditQuery } from '../audit/audit-query';
import { SigningKeys } from '../audit/signing-keys';
import { AuditSealer } from '../audit/audit-sealer';
import type { Principal } from '../auth/principal';
import { PolicyService } from '../policy/policy.service';
import { TokenCache } from '../verify/token-cache';
import { IssueBatcher } from './issue-batcher';
import { TokenIssuer } from './token-issuer.service';

/** Counts the tenant transactions it runs: the real database underneath, observed. */
class CountingDatabase extends Database {
  transactions = 0;
  override tenant<T>(tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    this.transactions++;
    return super.tenant(tenantId, work);
  }
}

/**
 * Concurrent issues of a tenant share transactions, yet each answers for itself: its own refusal, its
 * own audit event with its own request id, and a failing statement never takes the others with it.
 */
describe('IssueBatcher', () => {
  const db = new CountingDatabase(createDataSource({ url: process.env.TEST_DATABASE_URL!, poolSize: 4 }));
  // The sealer's own transactions (after each commit) are not the issues': count only the latter.
  const chain = new AuditChainRepository();
  const auditEvents = new AuditEventRepository();
  const sealer = new AuditSealer(new Database(db.dataSource), chain, auditEvents);
  const audit = new AuditLog(sealer, auditEvents, chain);
  const batcher = new IssueBatcher(db, audit);
  const cache = new TokenCache({ verifyCacheTtlMs: 0, sessionTtlSeconds: 1, usageFlushIntervalMs: 1000, loginMinResponseMs: 0 });
  const issuer = new TokenIssuer(
    db,
    audit,
    TokenHasher.fromConfig({ currentId: 'test1', currentSecret: randomBytes(32).toString('base64url'), previous: [] }),
    new PolicyService(db, audit, cache, new PolicyRepository()),
    cache,
    batcher,
  );
  const tenantId = `ten_batch_${randomBytes(4).toString('hex')}`;
  const principal: Principal = {
    tenantId, kind: 'user', id: 'usr_batch', scopes: ['custos:tokens:issue', 'custos:audit:read'], role: 'owner', ownerServiceId: null, sessionId: null,
  };
  const issue = (i: number, overrides: Record<string, unknown> = {}) =>
    issuer.issue(principal, { name: `batch ${i}`, scopes: ['orders:read'], expiresInSeconds: 3600, ...overrides }, { requestId: `req-${i}`, ip: null });

  beforeAll(async () => {
    await db.dataSource.initialize();
    await db.tenant(tenantId, async (tx) => {
      await tx.rows(`INSERT INTO tenants (id, name) VALUES ($1, 'batches')`, [tenantId]);
      await tx.rows(`INSERT INTO tenant_policies (tenant_id) VALUES ($1)`, [tenantId]);
    });
  });
  afterAll(async () => {
    await sealer.drain();
    await db.dataSource.destroy();
  });

  const issuedEvents = () =>
    db.tenant(tenantId, (tx) =>
      tx.rows<{ target_id: string; request_id: string }>(`SELECT target_id, request_id FROM audit_events WHERE action = 'token.issued'`),
    );

  it('commits concurrent issues in fewer transactions, each token with its own event and request id', async () => {
    const before = db.transactions;
    const issued = await Promise.all(Array.from({ length: 24 }, (_, i) => issue(i)));
    expect(db.transactions - before).toBeLessThan(24);
    expect(new Set(issued.map((t) => t.secret)).size).toBe(24);
    const events = new Map((await issuedEvents()).map((e) => [e.target_id, e.request_id]));
    issued.forEach((t, i) => expect(events.get(t.token.id)).toBe(`req-${i}`));
    await sealer.drain();
    const keys = new SigningKeys(db, audit, new SecretBox(randomBytes(32).toString('base64url')), new SigningKeyRepository());
    expect(await new AuditQuery(db, sealer, keys, chain, auditEvents).verify({ ...principal })).toMatchObject({ valid: true, checkedEvents: 24 });
  });

  it("refuses one issue on its own checks without failing the others in its batch", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => issue(100 + i, i === 4 ? { ownerServiceId: 'svc_missing' } : {})),
    );
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: 10 }, (_, i) => (i === 4 ? 'rejected' : 'fulfilled')));
    const refusal = (results[4] as PromiseRejectedResult).reason as DomainError;
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal.fieldErrors).toEqual([{ field: 'ownerServiceId', message: 'is not a service of this tenant' }]);
  });

  it('retries a batch the database refuses one issue at a time, so only the bad one fails', async () => {
    // One issue in flight, so that the next seven queue up and go in one batch together.
    const before = db.transactions;
    const first = issue(199);
    // A row the checks let through but the database refuses (an owner service that does not exist).
    const broken = batcher.submit(tenantId, {
      meta: { requestId: 'req-broken', ip: null },
      prepare: async () => ({ token: rowFor(tenantId, { ownerServiceId: 'svc_gone' }), entry: { action: 'token.issued', actor: SYSTEM_ACTOR } }),
    });
    const others = Array.from({ length: 6 }, (_, i) => issue(200 + i));
    const results = await Promise.allSettled([broken, ...others, first]);
    // The first alone, the batch of seven that failed, then each of the seven on its own.
    expect(db.transactions - before).toBe(1 + 1 + 7);
    expect(results[0]!.status).toBe('rejected');
    expect(results.slice(1).every((r) => r.status === 'fulfilled')).toBe(true);
    const events = (await issuedEvents()).map((e) => e.request_id);
    expect(events).not.toContain('req-broken');
    expect(events).toEqual(expect.arrayContaining(Array.from({ length: 6 }, (_, i) => `req-${200 + i}`)));
  });
});

function rowFor(tenantId: string, overrides: Partial<TokenEntity>): TokenEntity {
  const now = new Date();
  const id = `tok_broken_${randomBytes(4).toString('hex')}`;
  const generated = generateToken('live');
  return {
    tenantId, id, kind: 'api_key', name: 'broken', environment: 'live', ownerServiceId: null, createdBy: null, createdVia: 'api',
    lookupId: generated.lookupId, secretHash: 'ab', pepperId: 'test1', last4: generated.last4, scopes: ['orders:read'], status: 'active',
    notBefore: null, expiresAt: new Date(now.getTime() + 3600_000), graceEndsAt: null, revokedAt: null, revokedBy: null, revokedReason: null,
    suspendedAt: null, suspendedReason: null, resumedAt: null, unusedWarnedAt: null, expiryNoticeAt: null, rotationIntervalSeconds: null,
    gracePeriodSeconds: null, nextRotationAt: null, rotatedFromId: null, rootId: id, allowedCidrs: [], maxUses: null, remainingUses: null, lineageRemainingUses: null,
    metadata: {}, consentId: null, dataCategories: [], lastUsedAt: null, lastUsedIp: null, useCount: 0, createdAt: now, updatedAt: now,
    ...overrides,
  };
}
