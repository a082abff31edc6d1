import { ErrorCode } from '@custos/contracts';
import type { UsageEvent } from '@custos/domain';
import { TokenRepository, UsageEventRepository, UsageQueryRepository } from '@custos/persistence';
import { createService, createTenant, insertTokenRow, usageEvent, useMediumDatabase } from '@custos/fixtures';
import type { Principal } from '../auth/principal';
import { refusalOf } from '../testing/refusal';
import { person, serviceKey } from '../testing/token-use-cases';
import { UsageQuery, type UsageEventView } from './usage-query';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Reading usage as GET /v1/usage, /v1/usage/events and /v1/tokens/:id/usage do, on the real database:
 * counts over a bounded period, keyset pages of events that show networks only, a token's summary,
 * the permission, and nothing of another tenant.
 */
describe('UsageQuery', () => {
  const db = useMediumDatabase();
  const writes = new UsageEventRepository();
  const query = new UsageQuery(db, new UsageQueryRepository(), new TokenRepository());
  const thisHour = Math.floor(Date.now() / HOUR) * HOUR;
  const now = new Date(thisHour + 30 * 60_000);
  const at = (hoursAgo: number, minute = 0) => new Date(thisHour - hoursAgo * HOUR + minute * 60_000);
  const insert = (tenantId: string, events: UsageEvent[]) => db.tenant(tenantId, (tx) => writes.insertBatch(tx, events));
  const times = (n: number, event: UsageEvent) => Array.from({ length: n }, () => ({ ...event }));

  beforeAll(async () => {
    await db.system((tx) => writes.ensurePartitions(tx, new Date(Date.now() - 45 * DAY), new Date()));
  });

  describe('counts', () => {
    let tenantId: string;
    let token: string;
    let owned: string;
    let serviceId: string;
    let viewer: Principal;

    beforeAll(async () => {
      tenantId = await createTenant(db, 'usage counts');
      serviceId = await createService(db, tenantId);
      token = (await insertTokenRow(db, tenantId)).id;
      owned = (await insertTokenRow(db, tenantId, { ownerServiceId: serviceId })).id;
      viewer = person(tenantId, 'viewer');
      const e = (overrides: Partial<UsageEvent>) => usageEvent(tenantId, { tokenId: token, ...overrides });
      await insert(tenantId, [
        ...times(3, e({ occurredAt: at(2, 5) })),
        e({ occurredAt: at(2, 40), outcome: 'REVOKED' }),
        ...times(2, e({ occurredAt: at(1, 10), country: 'US', region: 'US', crossBorder: true })),
        ...times(4, e({ occurredAt: at(26), tokenId: owned })),
        e({ occurredAt: at(1, 20), tokenId: null, outcome: 'NOT_FOUND', country: null, region: null }),
        e({ occurredAt: at(1, 30), kind: 'api', outcome: '2xx', tokenId: null }),
        // Outside the default period (the last 30 days) and inside an explicit one.
        e({ occurredAt: new Date(now.getTime() - 40 * DAY), country: 'BR', region: null }),
      ]);
    });

    it('counts the last 30 days by UTC day when no period is given, and says which hours it counted', async () => {
      const counts = await query.counts(viewer, { groupBy: 'day' }, now);
      const day = (d: Date) => d.toISOString().slice(0, 10);
      expect(counts.from).toBe(new Date(thisHour - 30 * DAY).toISOString());
      expect(counts.to).toBe(now.toISOString());
      const expected = new Map<string, number>();
      for (const [d, n] of [[at(26), 4], [at(2), 4], [at(1), 4]] as const) expected.set(day(d), (expected.get(day(d)) ?? 0) + n);
      expect(counts.buckets.map((b) => [b.key, b.count])).toEqual([...expected.entries()].sort());
      expect(counts.buckets.reduce((sum, b) => sum + b.count, 0)).toBe(12);
    });

    it('counts by hour, outcome, country and region, each bucket with its outcomes', async () => {
      const period = { from: at(3), to: now };
      const hourKey = (hoursAgo: number) => at(hoursAgo).toISOString().replace('.000Z', 'Z');
      expect((await query.counts(viewer, { ...period, groupBy: 'hour', tokenId: token }, now)).buckets).toEqual([
        { key: hourKey(2), count: 4, byOutcome: { VALID: 3, REVOKED: 1 } },
        { key: hourKey(1), count: 2, byOutcome: { VALID: 2 } },
      ]);
      expect((await query.counts(viewer, { ...period, groupBy: 'outcome' }, now)).buckets).toEqual([
        { key: 'VALID', count: 5, byOutcome: { VALID: 5 } },
        { key: '2xx', count: 1, byOutcome: { '2xx': 1 } },
        { key: 'NOT_FOUND', count: 1, byOutcome: { NOT_FOUND: 1 } },
        { key: 'REVOKED', count: 1, byOutcome: { REVOKED: 1 } },
      ]);
      expect((await query.counts(viewer, { ...period, groupBy: 'country', kind: 'verify' }, now)).buckets).toEqual([
        { key: 'DE', count: 4, byOutcome: { VALID: 3, REVOKED: 1 } },
        { key: 'US', count: 2, byOutcome: { VALID: 2 } },
        { key: null, count: 1, byOutcome: { NOT_FOUND: 1 } },
      ]);
      expect((await query.counts(viewer, { ...period, groupBy: 'region', tokenId: token }, now)).buckets).toEqual([
        { key: 'EU', count: 4, byOutcome: { VALID: 3, REVOKED: 1 } },
        { key: 'US', count: 2, byOutcome: { VALID: 2 } },
      ]);
    });

    it("counts the tokens a service owns, and an explicit period's older uses", async () => {
      const ofService = await query.counts(viewer, { from: at(48), to: now, groupBy: 'outcome', serviceId }, now);
      expect(ofService.buckets).toEqual([{ key: 'VALID', count: 4, byOutcome: { VALID: 4 } }]);
      const older = await query.counts(viewer, { from: new Date(now.getTime() - 60 * DAY), to: new Date(now.getTime() - 30 * DAY), groupBy: 'country' }, now);
      expect(older.buckets).toEqual([{ key: 'BR', count: 1, byOutcome: { VALID: 1 } }]);
    });

    it('refuses a period that ends before it starts, spans more than 400 days, or more than 31 days by hour', async () => {
      const fields = async (input: Parameters<UsageQuery['counts']>[1]) => {
        const error = await refusalOf(query.counts(viewer, input, now));
        expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
        return error.fieldErrors.map((f) => f.field);
      };
      expect(await fields({ from: now, to: at(5), groupBy: 'day' })).toEqual(['to']);
      expect(await fields({ from: new Date(now.getTime() - 401 * DAY), groupBy: 'day' })).toEqual(['from']);
      expect(await fields({ from: new Date(now.getTime() - 32 * DAY), groupBy: 'hour' })).toEqual(['groupBy']);
      // At the bounds it counts.
      expect((await query.counts(viewer, { from: new Date(now.getTime() - 400 * DAY), groupBy: 'day' }, now)).buckets.length).toBeGreaterThan(0);
      expect((await query.counts(viewer, { from: new Date(now.getTime() - 31 * DAY), groupBy: 'hour' }, now)).buckets.length).toBeGreaterThan(0);
    });
  });

  describe('events', () => {
    let tenantId: string;
    let token: string;
    let all: UsageEventView[];

    beforeAll(async () => {
      tenantId = await createTenant(db, 'usage events');
      token = (await insertTokenRow(db, tenantId)).id;
      // Two events per minute: page boundaries fall between events of one moment too.
      await insert(
        tenantId,
        Array.from({ length: 23 }, (_, i) =>
          usageEvent(tenantId, {
            tokenId: i % 4 === 0 ? null : token,
            callerId: 'tok_caller',
            occurredAt: at(1, Math.floor(i / 2)),
            outcome: i % 3 === 0 ? 'EXPIRED' : 'VALID',
            country: i % 2 === 0 ? 'DE' : 'JP',
            region: i % 2 === 0 ? 'EU' : 'APAC',
            claimedCountry: i === 5 ? 'FR' : null,
            crossBorder: i % 2 === 1,
            geoFlagged: i === 7,
            resource: i === 9 ? 'orders/42' : null,
          }),
        ),
      );
      all = (await query.events(person(tenantId, 'viewer'), { limit: 200 })).items;
    });

    it('shows each event with its network, never the address or its hash, newest first', () => {
      expect(all).toHaveLength(23);
      const times = all.map((e) => e.occurredAt);
      expect([...times].sort().reverse()).toEqual(times);
      expect(Object.keys(all[0]!).sort()).toEqual(
        ['id', 'occurredAt', 'kind', 'tokenId', 'callerId', 'outcome', 'ipPrefix', 'country', 'claimedCountry', 'region', 'resource', 'transport',
          'userAgent', 'crossBorder', 'geoFlagged', 'uses'].sort(),
      );
      expect(JSON.stringify(all)).not.toContain('hash-193.99.144.80');
      expect(all.find((e) => e.claimedCountry === 'FR')).toMatchObject({ ipPrefix: '193.99.144.0/24', country: 'JP', callerId: 'tok_caller', transport: 'https' });
      expect(all.filter((e) => e.geoFlagged)).toHaveLength(1);
      expect(all.find((e) => e.resource === 'orders/42')).toBeDefined();
    });

    it('walks every event once, in pages that end', async () => {
      const viewer = person(tenantId, 'viewer');
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      for (;;) {
        const page = await query.events(viewer, { limit: 5, cursor });
        seen.push(...page.items.map((e) => e.id));
        pages++;
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(pages).toBe(5);
      expect(seen).toEqual(all.map((e) => e.id));
    });

    it('filters by token, outcome, country, cross-border use and period', async () => {
      const viewer = person(tenantId, 'viewer');
      const ids = async (filter: Omit<Parameters<UsageQuery['events']>[1], 'limit'>) => (await query.events(viewer, { ...filter, limit: 200 })).items.map((e) => e.id);
      const expected = all.filter((e) => e.tokenId === token && e.outcome === 'VALID' && e.country === 'JP' && e.crossBorder);
      expect(expected.length).toBeGreaterThan(0);
      expect(await ids({ tokenId: token, outcome: 'VALID', country: 'JP', crossBorder: true })).toEqual(expected.map((e) => e.id));
      expect(await ids({ crossBorder: false })).toEqual(all.filter((e) => !e.crossBorder).map((e) => e.id));
      const [from, to] = [at(1, 3), at(1, 6)];
      expect(await ids({ from, to })).toEqual(all.filter((e) => e.occurredAt >= from.toISOString() && e.occurredAt < to.toISOString()).map((e) => e.id));
      expect(await ids({ from, to })).toHaveLength(6);
    });

    it('refuses a cursor it did not issue and a period that ends before it starts', async () => {
      const viewer = person(tenantId, 'viewer');
      for (const cursor of ['garbage', Buffer.from(JSON.stringify({ t: 'yesterday', i: '1' })).toString('base64url'), Buffer.from(JSON.stringify({ t: now.toISOString(), i: '1; DROP' })).toString('base64url')]) {
        const error = await refusalOf(query.events(viewer, { limit: 5, cursor }));
        expect({ code: error.code, fields: error.fieldErrors.map((f) => f.field) }).toEqual({ code: ErrorCode.VALIDATION_FAILED, fields: ['cursor'] });
      }
      const error = await refusalOf(query.events(viewer, { limit: 5, from: now, to: at(2) }));
      expect(error.fieldErrors.map((f) => f.field)).toEqual(['to']);
    });
  });

  describe("a token's summary", () => {
    it('gives its latest use, its countries, and its outcomes, addresses and cross-border uses of the last 30 days', async () => {
      const tenantId = await createTenant(db, 'usage summary');
      const token = (await insertTokenRow(db, tenantId)).id;
      const e = (overrides: Partial<UsageEvent>) => usageEvent(tenantId, { tokenId: token, ...overrides });
      const longAgo = new Date(now.getTime() - 35 * DAY);
      await insert(tenantId, [
        e({ occurredAt: longAgo, country: 'BR', region: null, ipHash: 'old', crossBorder: true, outcome: 'EXPIRED' }),
        e({ occurredAt: at(5), ipHash: 'a' }),
        e({ occurredAt: at(3), ipHash: 'b', outcome: 'INSUFFICIENT_SCOPE' }),
        e({ occurredAt: at(2), country: 'US', region: 'US', ipPrefix: '8.8.8.0/24', ipHash: 'c', crossBorder: true }),
      ]);
      expect(await query.tokenSummary(person(tenantId, 'viewer'), token, now)).toEqual({
        tokenId: token,
        lastUsedAt: at(2).toISOString(),
        lastUsedCountry: 'US',
        lastUsedIpPrefix: '8.8.8.0/24',
        distinctAddresses30d: 3,
        countries: [
          { country: 'DE', region: 'EU', firstSeenAt: at(5).toISOString(), lastSeenAt: at(3).toISOString(), count: 2 },
          { country: 'BR', region: null, firstSeenAt: longAgo.toISOString(), lastSeenAt: longAgo.toISOString(), count: 1 },
          { country: 'US', region: 'US', firstSeenAt: at(2).toISOString(), lastSeenAt: at(2).toISOString(), count: 1 },
        ],
        byOutcome30d: { VALID: 2, INSUFFICIENT_SCOPE: 1 },
        crossBorderCount30d: 1,
        scopesUsed90d: [],
        scopesUnused90d: ['orders:read'],
      });
    });

    it('is empty for a token never used, and not found for an unknown token or one of another tenant', async () => {
      const [mine, theirs] = [await createTenant(db, 'usage summary mine'), await createTenant(db, 'usage summary theirs')];
      const unused = (await insertTokenRow(db, mine)).id;
      const other = (await insertTokenRow(db, theirs)).id;
      await insert(theirs, [usageEvent(theirs, { tokenId: other, occurredAt: at(1) })]);
      expect(await query.tokenSummary(person(mine, 'viewer'), unused, now)).toEqual({
        tokenId: unused, lastUsedAt: null, lastUsedCountry: null, lastUsedIpPrefix: null, distinctAddresses30d: 0, countries: [], byOutcome30d: {}, crossBorderCount30d: 0,
        scopesUsed90d: [], scopesUnused90d: ['orders:read'],
      });
      for (const id of [other, 'tok_unknown']) expect((await refusalOf(query.tokenSummary(person(mine, 'owner'), id, now))).code).toBe(ErrorCode.NOT_FOUND);
    });
  });

  it("never counts nor shows another tenant's usage, even when asked for its token", async () => {
    const [mine, theirs] = [await createTenant(db, 'usage isolation mine'), await createTenant(db, 'usage isolation theirs')];
    const token = (await insertTokenRow(db, theirs)).id;
    await insert(theirs, times(3, usageEvent(theirs, { tokenId: token, occurredAt: at(1) })));
    const me = person(mine, 'owner');
    expect((await query.counts(me, { groupBy: 'day' }, now)).buckets).toEqual([]);
    expect((await query.counts(me, { groupBy: 'day', tokenId: token }, now)).buckets).toEqual([]);
    expect((await query.events(me, { limit: 10, tokenId: token })).items).toEqual([]);
    expect((await query.counts(person(theirs, 'owner'), { groupBy: 'day', tokenId: token }, now)).buckets).toEqual([
      { key: at(1).toISOString().slice(0, 10), count: 3, byOutcome: { VALID: 3 } },
    ]);
  });

  it('needs custos:usage:read, which every role holds', async () => {
    const tenantId = await createTenant(db, 'usage permission');
    const token = (await insertTokenRow(db, tenantId)).id;
    const without = serviceKey(tenantId, ['custos:tokens:read', 'custos:audit:read']);
    const attempts = [() => query.counts(without, { groupBy: 'day' }), () => query.events(without, { limit: 1 }), () => query.tokenSummary(without, token)];
    for (const attempt of attempts) expect((await refusalOf(attempt())).code).toBe(ErrorCode.FORBIDDEN);
    for (const role of ['owner', 'admin', 'operator', 'auditor', 'viewer'] as const) {
      await expect(query.events(person(tenantId, role), { limit: 1 })).resolves.toEqual({ items: [], nextCursor: null });
    }
    await expect(query.counts(serviceKey(tenantId, ['custos:usage:read']), { groupBy: 'day' })).resolves.toMatchObject({ buckets: [] });
  });
});
