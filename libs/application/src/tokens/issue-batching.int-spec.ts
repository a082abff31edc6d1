import { randomBytes } from 'node:crypto';
import { DomainError } from '@custos/domain';
import { SecretBox, TokenHasher } from '@custos/crypto';
import { auditEventsOf, createTokenTenant } from '@custos/fixtures';
import {
  ActorRepository,
  AuditChainRepository,
  AuditEventRepository,
  Database,
  PolicyRepository,
  SigningKeyRepository,
  StewardRepository,
  TokenRepository,
  createDataSource,
  type Committed,
  type OpeningRead,
  type Tx,
} from '@custos/persistence';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { ActorReads } from '../accounts/actors';
import { AuditLog } from '../audit/audit-log';
import { AuditQuery } from '../audit/audit-query';
import { Stewards } from '../stewards/stewards';
import { SigningKeys } from '../audit/signing-keys';
import { AuditSealer } from '../audit/audit-sealer';
import type { Principal } from '../auth/principal';
import { PolicyService } from '../policy/policy.service';
import { TokenCache } from '../verify/token-cache';
import { TokenChanges } from '../feed/token-changes';
import { TokenIssuer } from './token-issuer.service';

/** Counts the transactions it runs: the real database underneath, observed. */
class CountingDatabase extends Database {
  transactions = 0;
  protected override transaction<T>(tenantId: string | null, work: (tx: Tx) => Promise<T>, opening?: readonly OpeningRead[]): Promise<Committed<T>> {
    this.transactions++;
    return super.transaction(tenantId, work, opening);
  }
}

/**
 * Concurrent issues of a tenant share transactions (`db.tenant(..., { batch: true })`), yet each
 * answers for itself: its own refusal, its own audit event with its own request id, and a failing
 * statement never takes the others with it.
 */
describe('issuing in batches', () => {
  const db = new CountingDatabase(createDataSource({ url: process.env.TEST_DATABASE_URL!, poolSize: 4 }));
  // The sealer's own transactions (after each commit) are not the issues': count only the latter.
  const chain = new AuditChainRepository();
  const auditEvents = new AuditEventRepository();
  const sealer = new AuditSealer(new Database(db.dataSource), chain, auditEvents);
  const audit = new AuditLog(sealer, auditEvents, chain);
  const cache = new TokenChanges(new TokenCache({ verifyCacheTtlMs: 0, sessionTtlSeconds: 1, usageFlushIntervalMs: 1000, loginMinResponseMs: 0 }));
  const issuer = new TokenIssuer(
    db,
    audit,
    TokenHasher.fromConfig({ currentId: 'test1', currentSecret: randomBytes(32).toString('base64url'), previous: [] }),
    new PolicyService(db, audit, cache, new PolicyRepository()),
    cache,
    new TokenRepository(),
    // The issued token's creator is the caller, known from the principal: issuing never looks anyone up.
    { resolve: () => Promise.reject(new Error('issuing must not query the people directory')) } satisfies ActorReads,
    new Stewards(new StewardRepository()),
  );
  let tenantId = '';
  let principal: Principal;
  const issue = (i: number, overrides: Record<string, unknown> = {}, requestId = `req-${i}`) =>
    issuer.issue(principal, { name: `batch ${i}`, scopes: ['orders:read'], expiresInSeconds: 3600, ...overrides }, { requestId, ip: null });

  beforeAll(async () => {
    await db.dataSource.initialize();
    tenantId = await createTokenTenant(db);
    principal = {
      tenantId, kind: 'user', id: 'usr_batch', email: 'batch@example.test', name: null, scopes: ['custos:tokens:issue', 'custos:audit:read'], role: 'owner', ownerServiceId: null, sessionId: null,
    };
  });
  afterAll(async () => {
    await sealer.drain();
    await db.dataSource.destroy();
  });

  const issuedEvents = () => auditEventsOf(db, tenantId, 'token.issued');

  it('commits concurrent issues in fewer transactions, each token with its own event and request id', async () => {
    const before = db.transactions;
    const issued = await Promise.all(Array.from({ length: 24 }, (_, i) => issue(i)));
    expect(db.transactions - before).toBeLessThan(24);
    expect(new Set(issued.map((t) => t.secret)).size).toBe(24);
    const events = new Map((await issuedEvents()).map((e) => [e.targetId, e.requestId]));
    issued.forEach((t, i) => expect(events.get(t.token.id)).toBe(`req-${i}`));
    for (const { token } of issued) {
      expect(token.createdByActor).toEqual({ id: 'usr_batch', kind: 'user', email: 'batch@example.test', name: null, removedAt: null });
    }
    await sealer.drain();
    const keys = new SigningKeys(db, audit, new SecretBox(randomBytes(32).toString('base64url')), new SigningKeyRepository());
    expect(await new AuditQuery(db, sealer, keys, chain, auditEvents, new ActorRepository()).verify({ ...principal })).toMatchObject({ valid: true, checkedEvents: 24 });
  });

  it('sends the chain head lock with BEGIN: a batch is three round trips, and its events are sealed in it', async () => {
    const sent: string[] = [];
    let recording = false;
    // Every statement the pool's connections send while recording: the real driver, observed.
    type Connection = { query: (...args: unknown[]) => unknown };
    const observed = new WeakSet<Connection>();
    const pool = (db.dataSource.driver as PostgresDriver).master as { on(event: 'acquire', listener: (client: Connection) => void): void };
    pool.on('acquire', (client) => {
      if (observed.has(client)) return;
      observed.add(client);
      const query = client.query.bind(client);
      client.query = (...args: unknown[]) => {
        if (recording) sent.push(typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text);
        return query(...args);
      };
    });
    await issue(300); // the tenant's policy is read once, then cached
    const before = db.transactions;
    recording = true;
    const issued = await Promise.all(Array.from({ length: 8 }, (_, i) => issue(301 + i)));
    recording = false;
    expect(db.transactions - before).toBe(1);
    expect(sent.map((sql) => sql.trimStart().split(/\s/)[0])).toEqual(['BEGIN;', 'WITH', 'COMMIT']);
    expect(sent[0]).toContain('FOR UPDATE OF h SKIP LOCKED');
    const unsealed = await db.tenant(tenantId, (tx) => auditEvents.unsealed(tx, 1000));
    expect(unsealed.filter((e) => issued.some((t) => t.token.id === e.body.targetId))).toEqual([]);
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
    // One issue starts the transaction; the seven after it join it while it runs.
    const before = db.transactions;
    const first = issue(199);
    // A row the checks let through but the database refuses (a use limit of zero: the request's
    // validation refuses it before the use case, the table's CHECK after it).
    const broken = issue(198, { maxUses: 0 }, 'req-broken');
    const others = Array.from({ length: 6 }, (_, i) => issue(200 + i));
    const results = await Promise.allSettled([broken, ...others, first]);
    // The batch of eight that failed, then each of the eight on its own.
    expect(db.transactions - before).toBe(1 + 8);
    expect(results[0]!.status).toBe('rejected');
    expect(results.slice(1).every((r) => r.status === 'fulfilled')).toBe(true);
    const events = (await issuedEvents()).map((e) => e.requestId);
    expect(events).not.toContain('req-broken');
    expect(events).toEqual(expect.arrayContaining(Array.from({ length: 6 }, (_, i) => `req-${200 + i}`)));
  });
});
