import { Test, type TestingModule } from '@nestjs/testing';
import { SecretBox, TokenHasher } from '@custos/crypto';
import { Database, PersistenceModule, TokenSnapshotRepository } from '@custos/persistence';
import {
  auditRowsOf,
  createTenant,
  dropTenantPolicy,
  insertServiceRow,
  insertTokenRow,
  setTenantPolicy,
  tokenRowsOf,
  useMediumDatabase,
  type TokenRowSpec,
} from '@custos/fixtures';
import { AuditLog } from '../audit/audit-log';
import { AuditSealer } from '../audit/audit-sealer';
import { PolicyService } from '../policy/policy.service';
import { APPLICATION_SETTINGS, type ApplicationSettings } from '../shared/settings';
import { SuccessorPickup } from '../tokens/successor-pickup';
import { Stewards } from '../stewards/stewards';
import { TokenIssuer } from '../tokens/token-issuer.service';
import { TokenCache } from '../verify/token-cache';
import { TokenChanges } from '../feed/token-changes';
import { ExpireSweep, GraceEndSweep } from './expiry.sweeps';
import { ExpiryNoticeSweep } from './expiry-notice.sweep';
import { RotationSweep } from './rotation.sweep';
import { TOKEN_SWEEPS, TenantSweepsFailed, TokenSweeper } from './token-sweeper.service';
import { UnusedTokenSweep } from './unused-token.sweep';

const settings: ApplicationSettings = { verifyCacheTtlMs: 30_000, sessionTtlSeconds: 60, usageFlushIntervalMs: 60_000, loginMinResponseMs: 0 };

/** The sweeps with their real collaborators and repositories, wired as the worker wires them. */
function sweepsModule(): Promise<TestingModule> {
  return Test.createTestingModule({
    imports: [PersistenceModule.forRoot({ url: process.env.TEST_DATABASE_URL!, poolSize: 2, applicationName: 'custos-sweeps-medium' })],
    providers: [
      { provide: APPLICATION_SETTINGS, useValue: settings },
      { provide: TokenHasher, useValue: new TokenHasher({ id: 'p_sweeps', secret: 'a pepper for the medium tests of sweeps' }) },
      { provide: SecretBox, useValue: new SecretBox(process.env.CUSTOS_TEST_MASTER_KEY!) },
      AuditSealer, AuditLog, PolicyService, TokenCache, TokenChanges, Stewards, TokenIssuer, SuccessorPickup, ...TOKEN_SWEEPS,
    ],
  }).compile();
}

// @runsAlone: it runs the worker's sweeps in this process over every tenant of the run's database (npm test runs it after the rest, by itself).
/**
 * Each sweep, run as one batch in one tenant's transaction (as TokenSweeper runs it), changes that
 * tenant's due rows and writes their events, and leaves every other tenant's rows as they were.
 */
describe('due-token sweeps (real database)', () => {
  const db = useMediumDatabase();
  let app: TestingModule;
  let sweepDb: Database;
  let tenantId: string;
  let otherId: string;

  beforeAll(async () => {
    app = await sweepsModule();
    sweepDb = app.get(Database);
  });
  afterAll(async () => {
    await app.get(AuditSealer).drain();
    await app.close();
  });
  beforeEach(async () => {
    tenantId = await createTenant(db, 'sweeps');
    otherId = await createTenant(db, 'sweeps other');
  });

  const batch = (sweep: { batch: ExpireSweep['batch'] }, tenant: string, limit = 100) => sweepDb.tenant(tenant, (tx) => sweep.batch(tx, limit));
  /** The same token in both tenants: what the sweep does to one it must not do to the other. */
  const inBoth = async (spec: TokenRowSpec) => [(await insertTokenRow(db, tenantId, spec)).id, (await insertTokenRow(db, otherId, spec)).id];
  const statuses = async (tenant: string) => new Map([...(await tokenRowsOf(db, tenant))].map(([id, t]) => [id, t.status]));

  it('expires the due active and suspended tokens, each with a token.expired event saying from what', async () => {
    const [due, theirs] = await inBoth({ expiresIn: '-1 minute' });
    const dueSuspended = (await insertTokenRow(db, tenantId, { status: 'suspended', expiresIn: '-1 second' })).id;
    const alive = (await insertTokenRow(db, tenantId, { expiresIn: '1 hour' })).id;
    expect(await batch(app.get(ExpireSweep), tenantId)).toBe(2);
    const mine = await statuses(tenantId);
    expect([mine.get(due!), mine.get(dueSuspended), mine.get(alive)]).toEqual(['expired', 'expired', 'active']);
    const events = await auditRowsOf(db, tenantId, 'token.expired');
    expect(events.map((e) => [e.targetId, e.actorType, e.data.from]).sort()).toEqual(
      [[due, 'system', 'active'], [dueSuspended, 'system', 'suspended']].sort(),
    );
    expect((await statuses(otherId)).get(theirs!)).toBe('active');
    expect(await auditRowsOf(db, otherId, 'token.expired')).toEqual([]);
  });

  it('takes at most its batch, the longest overdue first, and leaves the rest for the next batch', async () => {
    const ids = [];
    for (const ago of ['3', '2', '1']) ids.push((await insertTokenRow(db, tenantId, { expiresIn: `-${ago} minutes` })).id);
    expect(await batch(app.get(ExpireSweep), tenantId, 2)).toBe(2);
    const mine = await statuses(tenantId);
    expect(ids.map((id) => mine.get(id))).toEqual(['expired', 'expired', 'active']);
    expect(await batch(app.get(ExpireSweep), tenantId, 2)).toBe(1);
  });

  it('ends the grace periods that are over with token.rotation_completed, and only those', async () => {
    const [over, theirs] = await inBoth({ status: 'rotating', graceEndsIn: '-1 second' });
    const running = (await insertTokenRow(db, tenantId, { status: 'rotating', graceEndsIn: '1 hour' })).id;
    expect(await batch(app.get(GraceEndSweep), tenantId)).toBe(1);
    const mine = await statuses(tenantId);
    expect([mine.get(over!), mine.get(running)]).toEqual(['expired', 'rotating']);
    expect((await auditRowsOf(db, tenantId, 'token.rotation_completed')).map((e) => e.targetId)).toEqual([over]);
    expect((await statuses(otherId)).get(theirs!)).toBe('rotating');
  });

  it('announces an expiry once, for its nearest window', async () => {
    const [week, theirs] = await inBoth({ createdAgo: '30 days', expiresIn: '6 days' });
    const day = (await insertTokenRow(db, tenantId, { createdAgo: '30 days', expiresIn: '12 hours' })).id;
    await insertTokenRow(db, tenantId, { createdAgo: '1 day', expiresIn: '20 days' });
    const sweep = app.get(ExpiryNoticeSweep);
    expect(await batch(sweep, tenantId)).toBe(2);
    expect(await batch(sweep, tenantId)).toBe(0);
    const notices = await auditRowsOf(db, tenantId, 'token.expiring');
    expect(notices.map((n) => [n.targetId, n.data.withinDays]).sort()).toEqual([[day, 1], [week, 7]].sort());
    expect(await auditRowsOf(db, otherId, 'token.expiring')).toEqual([]);
    expect((await tokenRowsOf(db, otherId)).get(theirs!)?.expiryNoticeAt!.getTime()).toBeLessThan(Date.now());
  });

  it('suspends a token quiet past its tenant’s limit, warns one nearly there, and drops the suspended one from the cache', async () => {
    await setTenantPolicy(db, tenantId, { disableUnusedAfterDays: 30 });
    await setTenantPolicy(db, otherId, { disableUnusedAfterDays: 30 });
    const quietSpec = { createdAgo: '31 days', expiresIn: '60 days' };
    const { id: quiet, lookupId: quietLookup } = await insertTokenRow(db, tenantId, quietSpec);
    const theirs = (await insertTokenRow(db, otherId, quietSpec)).id;
    const nearly = (await insertTokenRow(db, tenantId, { createdAgo: '60 days', lastUsedAgo: '25 days', expiresIn: '60 days' })).id;
    const busy = (await insertTokenRow(db, tenantId, { createdAgo: '60 days', lastUsedAgo: '1 hour', expiresIn: '60 days' })).id;
    const cache = app.get(TokenCache);
    const cached = await db.tenant(tenantId, (tx) => new TokenSnapshotRepository().findByLookupId(tx, quietLookup));
    cache.set(cached!);

    expect(await batch(app.get(UnusedTokenSweep), tenantId)).toBe(2);
    const mine = await tokenRowsOf(db, tenantId);
    expect([quiet, nearly, busy].map((id) => [mine.get(id)?.status, mine.get(id)?.suspendedReason])).toEqual([
      ['suspended', 'unused'], ['active', null], ['active', null],
    ]);
    expect((await auditRowsOf(db, tenantId, 'token.suspended_unused')).map((e) => [e.targetId, e.data.disableUnusedAfterDays])).toEqual([[quiet, 30]]);
    expect((await auditRowsOf(db, tenantId, 'token.unused_warning')).map((e) => e.targetId)).toEqual([nearly]);
    expect(cache.get(quietLookup)).toBeUndefined();
    expect((await statuses(otherId)).get(theirs)).toBe('active');
  });

  it('does nothing about quiet tokens in a tenant without a policy', async () => {
    await dropTenantPolicy(tenantId);
    try {
      await insertTokenRow(db, tenantId, { createdAgo: '400 days', expiresIn: '60 days' });
      expect(await batch(app.get(UnusedTokenSweep), tenantId)).toBe(0);
    } finally {
      await setTenantPolicy(db, tenantId);
    }
  });

  it('rotates a due token through the manual rotation, and skips one its service may no longer hold without failing the batch', async () => {
    await setTenantPolicy(db, tenantId);
    const narrow = await insertServiceRow(db, tenantId, ['orders:read']);
    const spec = { createdAgo: '2 hours', expiresIn: '30 days', rotateIn: '-1 minute', scopes: ['orders:read'] };
    const [due, theirs] = await inBoth(spec);
    const outgrown = (await insertTokenRow(db, tenantId, { ...spec, scopes: ['orders:write'], ownerServiceId: narrow, rotateIn: '-2 minutes' })).id;
    expect(await batch(app.get(RotationSweep), tenantId)).toBe(2);
    const mine = [...(await tokenRowsOf(db, tenantId)).values()];
    const successors = mine.filter((t) => t.rotatedFromId === due);
    expect(successors.map((t) => [t.status, t.createdVia])).toEqual([['active', 'rotation']]);
    expect(mine.find((t) => t.id === due)?.status).toBe('rotating');
    expect(mine.find((t) => t.id === outgrown)).toMatchObject({ status: 'active', nextRotationAt: null });
    expect(mine.filter((t) => t.rotatedFromId === outgrown)).toEqual([]);
    expect((await auditRowsOf(db, tenantId, 'token.rotation_skipped')).map((e) => [e.targetId, e.data.code])).toEqual([[outgrown, 'SCOPE_ESCALATION']]);
    expect((await auditRowsOf(db, tenantId, 'token.rotated')).map((e) => e.targetId)).toEqual([due]);
    expect((await statuses(otherId)).get(theirs!)).toBe('active');
  });

  it('TokenSweeper sweeps every other tenant when one fails, then fails the run naming that tenant', async () => {
    await dropTenantPolicy(tenantId);
    const spec = { createdAgo: '2 hours', expiresIn: '30 days', rotateIn: '-1 minute', scopes: ['orders:read'] };
    const [broken, healthy] = await inBoth(spec);

    try {
      const run = app.get(TokenSweeper).sweep('rotate');

      await expect(run).rejects.toThrow(TenantSweepsFailed);
      await expect(run).rejects.toMatchObject({ kind: 'rotate', failures: expect.arrayContaining([expect.objectContaining({ tenantId })]) });
      expect((await statuses(otherId)).get(healthy!)).toBe('rotating');
      expect((await statuses(tenantId)).get(broken!)).toBe('active');
    } finally {
      // The database is the run's, shared by other suites whose sweeps cover every tenant: leave no broken one behind.
      await setTenantPolicy(db, tenantId);
    }
  });

  it('TokenSweeper finds every tenant with due work and sweeps it batch after batch', async () => {
    const mine = [];
    for (let i = 0; i < 5; i++) mine.push((await insertTokenRow(db, tenantId, { expiresIn: '-1 minute' })).id);
    const theirs = [];
    for (let i = 0; i < 3; i++) theirs.push((await insertTokenRow(db, otherId, { expiresIn: '-1 minute' })).id);
    expect(await app.get(TokenSweeper).sweep('expire', 2)).toBeGreaterThanOrEqual(8);
    const [a, b] = [await statuses(tenantId), await statuses(otherId)];
    expect([...mine.map((id) => a.get(id)), ...theirs.map((id) => b.get(id))]).toEqual(Array(8).fill('expired'));
  });
});
