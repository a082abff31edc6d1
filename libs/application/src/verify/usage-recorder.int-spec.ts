import { TokenRepository, TokenUsageRepository, UsageQueryRepository } from '@custos/persistence';
import { createTenant, insertTokenRow, tokenRowsOf, useMediumDatabase, userPrincipal } from '@custos/fixtures';
import { UsageQuery } from '../usage/usage-query';
import type { ApplicationSettings } from '../shared/settings';
import { UsageRecorder } from './usage-recorder';

const settings: ApplicationSettings = { verifyCacheTtlMs: 0, sessionTtlSeconds: 60, usageFlushIntervalMs: 60_000, loginMinResponseMs: 0 };

describe('UsageRecorder (real database)', () => {
  const db = useMediumDatabase();
  let tenantId: string;
  let recorder: UsageRecorder;

  beforeAll(async () => {
    tenantId = await createTenant(db, 'usage');
  });
  beforeEach(() => {
    recorder = new UsageRecorder(db, settings, new TokenUsageRepository());
  });

  it('writes the uses summed per token: their count, the latest moment and its address, truncated to the network', async () => {
    const busy = await insertTokenRow(db, tenantId);
    const once = await insertTokenRow(db, tenantId);
    const t0 = Date.now() - 60_000;
    recorder.record(tenantId, busy.id, new Date(t0 + 2000), '203.0.113.77');
    recorder.record(tenantId, busy.id, new Date(t0), '198.51.100.1');
    recorder.record(tenantId, busy.id, new Date(t0 + 1000), null);
    recorder.record(tenantId, once.id, new Date(t0), '2001:db8:1234:5678::1');
    expect(recorder.pendingTokens).toBe(2);
    await recorder.flush();
    expect(recorder.pendingTokens).toBe(0);
    const tokens = await tokenRowsOf(db, tenantId);
    expect(tokens.get(busy.id)).toMatchObject({ useCount: 3, lastUsedAt: new Date(t0 + 2000), lastUsedIp: '203.0.113.0/24' });
    expect(tokens.get(once.id)).toMatchObject({ useCount: 1, lastUsedAt: new Date(t0), lastUsedIp: '2001:db8:1234::/48' });
  });

  it("records which of the token's scopes its uses asked for, and when last: 90 days of them are its used scopes", async () => {
    const { id } = await insertTokenRow(db, tenantId, { scopes: ['orders:read', 'orders:write', 'orders:refund'] });
    const now = new Date();
    recorder.record(tenantId, id, new Date(now.getTime() - 91 * 86_400_000), null, undefined, ['orders:refund']);
    recorder.record(tenantId, id, new Date(now.getTime() - 1000), null, undefined, ['orders:read']);
    await recorder.flush();
    const query = new UsageQuery(db, new UsageQueryRepository(), new TokenRepository());
    const owner = userPrincipal(tenantId, 'viewer');
    expect(await query.tokenSummary(owner, id, now)).toMatchObject({ scopesUsed90d: ['orders:read'], scopesUnused90d: ['orders:write', 'orders:refund'] });
    // A later use of the old scope moves its last use forward; an earlier one never moves it back.
    recorder.record(tenantId, id, new Date(now.getTime() - 2000), null, undefined, ['orders:refund']);
    recorder.record(tenantId, id, new Date(now.getTime() - 200 * 86_400_000), null, undefined, ['orders:read']);
    await recorder.flush();
    expect(await query.tokenSummary(owner, id, now)).toMatchObject({ scopesUsed90d: ['orders:read', 'orders:refund'], scopesUnused90d: ['orders:write'] });
  });

  it('adds to what is stored, never moving last use back in time', async () => {
    const { id } = await insertTokenRow(db, tenantId);
    const later = new Date(Date.now() - 1000);
    recorder.record(tenantId, id, later, '192.0.2.1');
    await recorder.flush();
    recorder.record(tenantId, id, new Date(later.getTime() - 30_000), null);
    await recorder.flush();
    expect((await tokenRowsOf(db, tenantId)).get(id)).toMatchObject({ useCount: 2, lastUsedAt: later, lastUsedIp: '192.0.2.0/24' });
  });

  it("writes inside the named tenant only: another tenant's token is not touched", async () => {
    const otherTenant = await createTenant(db, 'usage other');
    const theirs = await insertTokenRow(db, otherTenant);
    recorder.record(tenantId, theirs.id, new Date(), '192.0.2.1');
    await recorder.flush();
    expect((await tokenRowsOf(db, otherTenant)).get(theirs.id)).toMatchObject({ useCount: 0, lastUsedAt: null });
  });

  it('keeps the counts of a flush that failed for the next one', async () => {
    const { id } = await insertTokenRow(db, tenantId);
    // A tenant id the database refuses to enter: that tenant's write fails, the other's goes through.
    recorder.record('not a tenant id', 'tok_nowhere', new Date(), null);
    recorder.record(tenantId, id, new Date(), null);
    await recorder.flush();
    expect(recorder.pendingTokens).toBe(1);
    expect((await tokenRowsOf(db, tenantId)).get(id)?.useCount).toBe(1);
  });

  it('writes what is pending before the application shuts down', async () => {
    const { id } = await insertTokenRow(db, tenantId);
    recorder.onModuleInit();
    recorder.record(tenantId, id, new Date(), null);
    await recorder.beforeApplicationShutdown();
    expect((await tokenRowsOf(db, tenantId)).get(id)?.useCount).toBe(1);
  });
});
