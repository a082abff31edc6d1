import type { TokenUsageView, UsageCountsView, UsageEventView } from '@custos/application';
import type { UsageEvent } from '@custos/domain';
import {
  ApiClient,
  createService,
  issueToken,
  seedUsageEvents,
  signupTenant,
  usageEvent,
  userWithRole,
  type ApiResponse,
  type TestTenant,
} from '@custos/testing';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Problem {
  code: string;
  errors?: Array<{ field: string; message: string }>;
}
type EventPage = { items: UsageEventView[]; nextCursor: string | null };

/**
 * Usage over HTTP against the real api, with events stored as the api's writer stores them: counts by
 * time, place and outcome over a bounded period, pages of raw events that show networks only, a token's
 * summary, and nothing of one tenant's usage for another. Every call is a person's session: requests by
 * service keys are usage events themselves.
 */
describe('usage over HTTP', () => {
  const api = ApiClient.fromEnv();
  const thisHour = Math.floor(Date.now() / HOUR) * HOUR;
  const at = (hoursAgo: number, minute = 0) => new Date(thisHour - hoursAgo * HOUR + minute * 60_000);
  const hourKey = (hoursAgo: number) => at(hoursAgo).toISOString().replace('.000Z', 'Z');
  const dayKey = (d: Date) => d.toISOString().slice(0, 10);
  const longAgo = new Date(thisHour - 40 * DAY);

  let a: TestTenant;
  let b: TestTenant;
  let token: string;
  let owned: string;
  let serviceId: string;
  let theirs: string;

  const fieldsOf = (res: ApiResponse<unknown>) => {
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((res.body as Problem).code).toBe('VALIDATION_FAILED');
    return ((res.body as Problem).errors ?? []).map((e) => e.field);
  };

  beforeAll(async () => {
    [a, b] = await Promise.all([signupTenant(api, 'Usage A'), signupTenant(api, 'Usage B')]);
    serviceId = (await createService(a.owner, { allowedScopes: ['orders:read'] })).id;
    [token, owned, theirs] = await Promise.all([
      issueToken(a.owner).then((t) => t.token.id),
      issueToken(a.owner, { ownerServiceId: serviceId }).then((t) => t.token.id),
      issueToken(b.owner).then((t) => t.token.id),
    ]);
    const use = (tenant: TestTenant, overrides: Partial<UsageEvent>) => usageEvent(tenant.tenantId, { callerId: 'tok_caller', ...overrides });
    const us = { country: 'US', region: 'US', ipPrefix: '8.8.8.0/24', ipHash: 'hash-c', crossBorder: true };
    await seedUsageEvents([
      use(a, { tokenId: token, occurredAt: at(2, 5), ipHash: 'hash-a' }),
      use(a, { tokenId: token, occurredAt: at(2, 6), ipHash: 'hash-b' }),
      use(a, { tokenId: token, occurredAt: at(2, 7), ipHash: 'hash-a' }),
      use(a, { tokenId: token, occurredAt: at(2, 8), ipHash: 'hash-a', outcome: 'REVOKED' }),
      use(a, { tokenId: token, occurredAt: at(1, 10), ...us }),
      use(a, { tokenId: token, occurredAt: at(1, 11), ...us, resource: 'orders/42', claimedCountry: 'DE' }),
      use(a, { tokenId: token, occurredAt: at(72), country: 'JP', region: 'APAC', ipPrefix: '133.11.0.0/24', ipHash: 'hash-d', crossBorder: true }),
      use(a, { tokenId: token, occurredAt: longAgo, country: 'BR', region: null, ipPrefix: '200.160.2.0/24', ipHash: 'hash-old' }),
      ...Array.from({ length: 4 }, () => use(a, { tokenId: owned, occurredAt: at(26), country: 'FR' })),
      use(a, { tokenId: null, occurredAt: at(1, 30), outcome: 'NOT_FOUND', country: null, region: null }),
      ...Array.from({ length: 5 }, () => use(b, { tokenId: theirs, occurredAt: at(1) })),
    ]);
  }, 30_000);

  describe('GET /v1/usage', () => {
    it("counts the tenant's uses of the last 30 days by UTC day unless told otherwise", async () => {
      const res = await a.owner.get<UsageCountsView>('/v1/usage');
      expect(res.status).toBe(200);
      expect(res.body.groupBy).toBe('day');
      expect(Date.parse(res.body.to)).toBeGreaterThanOrEqual(thisHour);
      expect(Date.parse(res.body.to) - Date.parse(res.body.from)).toBeGreaterThanOrEqual(30 * DAY);
      expect(Date.parse(res.body.to) - Date.parse(res.body.from)).toBeLessThan(30 * DAY + HOUR);
      const expected = new Map<string, number>();
      for (const [d, n] of [[at(72), 1], [at(26), 4], [at(2), 4], [at(1), 3]] as const) expected.set(dayKey(d), (expected.get(dayKey(d)) ?? 0) + n);
      expect(res.body.buckets.map((bucket) => [bucket.key, bucket.count])).toEqual([...expected.entries()].sort());
    });

    it("counts one token's uses by hour, with how they ended", async () => {
      const res = await a.owner.get<UsageCountsView>(`/v1/usage?tokenId=${token}&groupBy=hour&from=${at(6).toISOString()}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ from: at(6).toISOString(), groupBy: 'hour' });
      expect(res.body.buckets).toEqual([
        { key: hourKey(2), count: 4, byOutcome: { VALID: 3, REVOKED: 1 } },
        { key: hourKey(1), count: 2, byOutcome: { VALID: 2 } },
      ]);
    });

    it('counts by country, region and outcome, the most first; uses without a country count under null', async () => {
      const by = async (query: string) => (await a.owner.get<UsageCountsView>(`/v1/usage?${query}`)).body.buckets;
      expect(await by(`tokenId=${token}&groupBy=country`)).toEqual([
        { key: 'DE', count: 4, byOutcome: { VALID: 3, REVOKED: 1 } },
        { key: 'US', count: 2, byOutcome: { VALID: 2 } },
        { key: 'JP', count: 1, byOutcome: { VALID: 1 } },
      ]);
      expect(await by(`tokenId=${token}&groupBy=region`)).toEqual([
        { key: 'EU', count: 4, byOutcome: { VALID: 3, REVOKED: 1 } },
        { key: 'US', count: 2, byOutcome: { VALID: 2 } },
        { key: 'APAC', count: 1, byOutcome: { VALID: 1 } },
      ]);
      expect(await by(`groupBy=outcome&from=${at(3).toISOString()}`)).toEqual([
        { key: 'VALID', count: 5, byOutcome: { VALID: 5 } },
        { key: 'NOT_FOUND', count: 1, byOutcome: { NOT_FOUND: 1 } },
        { key: 'REVOKED', count: 1, byOutcome: { REVOKED: 1 } },
      ]);
      expect(await by(`groupBy=country&from=${at(3).toISOString()}&kind=verify`)).toContainEqual({ key: null, count: 1, byOutcome: { NOT_FOUND: 1 } });
    });

    it("counts the uses of a service's tokens, and an older period when asked", async () => {
      const ofService = await a.owner.get<UsageCountsView>(`/v1/usage?serviceId=${serviceId}&groupBy=country`);
      expect(ofService.body.buckets).toEqual([{ key: 'FR', count: 4, byOutcome: { VALID: 4 } }]);
      const older = await a.owner.get<UsageCountsView>(
        `/v1/usage?groupBy=country&from=${new Date(thisHour - 45 * DAY).toISOString()}&to=${new Date(thisHour - 35 * DAY).toISOString()}`,
      );
      expect(older.body.buckets).toEqual([{ key: 'BR', count: 1, byOutcome: { VALID: 1 } }]);
    });

    it('answers 400 naming the field for a period backwards, too long, too long by hour, or an unknown grouping', async () => {
      const now = Date.now();
      const iso = (ms: number) => new Date(ms).toISOString();
      expect(fieldsOf(await a.owner.get(`/v1/usage?from=${iso(now)}&to=${iso(now - DAY)}`))).toEqual(['to']);
      expect(fieldsOf(await a.owner.get(`/v1/usage?from=${iso(now - 401 * DAY)}`))).toEqual(['from']);
      expect(fieldsOf(await a.owner.get(`/v1/usage?groupBy=hour&from=${iso(now - 32 * DAY)}`))).toEqual(['groupBy']);
      expect(fieldsOf(await a.owner.get('/v1/usage?groupBy=week'))).toEqual(['groupBy']);
      // A date JavaScript parses and Postgres cannot hold.
      expect(fieldsOf(await a.owner.get('/v1/usage?to=%2B200000-01-01T00:00:00Z'))).toEqual(['to']);
      // At the bounds it counts.
      expect((await a.owner.get(`/v1/usage?groupBy=hour&from=${iso(now - 31 * DAY)}&to=${iso(now)}`)).status).toBe(200);
      expect((await a.owner.get(`/v1/usage?from=${iso(now - 400 * DAY)}&to=${iso(now)}`)).status).toBe(200);
    });
  });

  describe('GET /v1/usage/events', () => {
    it('pages through every event of a token once, newest first, each with its network and never an address', async () => {
      const seen: UsageEventView[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: ApiResponse<EventPage> = await a.owner.get<EventPage>(`/v1/usage/events?tokenId=${token}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        seen.push(...res.body.items);
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toHaveLength(8);
      expect(new Set(seen.map((e) => e.id)).size).toBe(8);
      expect(seen.map((e) => e.occurredAt)).toEqual(seen.map((e) => e.occurredAt).sort().reverse());
      expect(seen.at(-1)).toMatchObject({ occurredAt: longAgo.toISOString(), country: 'BR' });
      expect(seen.find((e) => e.resource === 'orders/42')).toEqual({
        id: expect.any(String),
        occurredAt: at(1, 11).toISOString(),
        kind: 'verify',
        tokenId: token,
        callerId: 'tok_caller',
        outcome: 'VALID',
        ipPrefix: '8.8.8.0/24',
        country: 'US',
        claimedCountry: 'DE',
        region: 'US',
        resource: 'orders/42',
        transport: 'https',
        userAgent: 'medium-test/1.0',
        crossBorder: true,
        geoFlagged: false,
        uses: 1,
      });
      expect(JSON.stringify(seen)).not.toContain('hash-');
    });

    it('filters by outcome, country, cross-border use and period', async () => {
      const ids = async (query: string) => (await a.owner.get<EventPage>(`/v1/usage/events?tokenId=${token}&${query}`)).body.items.map((e) => e.occurredAt);
      expect(await ids('outcome=REVOKED')).toEqual([at(2, 8).toISOString()]);
      expect(await ids('country=US&crossBorder=true')).toEqual([at(1, 11).toISOString(), at(1, 10).toISOString()]);
      expect(await ids('crossBorder=false&country=DE')).toHaveLength(4);
      expect(await ids(`from=${at(2, 6).toISOString()}&to=${at(2, 8).toISOString()}`)).toEqual([at(2, 7).toISOString(), at(2, 6).toISOString()]);
      const unattributed = await a.owner.get<EventPage>('/v1/usage/events?outcome=NOT_FOUND');
      expect(unattributed.body.items).toMatchObject([{ tokenId: null, country: null, outcome: 'NOT_FOUND' }]);
    });

    it('answers 400 naming the field for a cursor it did not issue, a lower-case country, a date Postgres cannot hold or a period backwards', async () => {
      expect(fieldsOf(await a.owner.get('/v1/usage/events?cursor=not-a-cursor'))).toEqual(['cursor']);
      expect(fieldsOf(await a.owner.get('/v1/usage/events?country=de'))).toEqual(['country']);
      expect(fieldsOf(await a.owner.get('/v1/usage/events?from=-100000-01-01T00:00:00Z'))).toEqual(['from']);
      expect(fieldsOf(await a.owner.get(`/v1/usage/events?from=${at(1).toISOString()}&to=${at(2).toISOString()}`))).toEqual(['to']);
    });
  });

  describe('GET /v1/tokens/:id/usage', () => {
    it('gives where the token was used from, its latest use and its last 30 days', async () => {
      const res = await a.owner.get<TokenUsageView>(`/v1/tokens/${token}/usage`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        tokenId: token,
        lastUsedAt: at(1, 11).toISOString(),
        lastUsedCountry: 'US',
        lastUsedIpPrefix: '8.8.8.0/24',
        distinctAddresses30d: 4,
        countries: [
          { country: 'DE', region: 'EU', firstSeenAt: at(2, 5).toISOString(), lastSeenAt: at(2, 8).toISOString(), count: 4 },
          { country: 'US', region: 'US', firstSeenAt: at(1, 10).toISOString(), lastSeenAt: at(1, 11).toISOString(), count: 2 },
          { country: 'BR', region: null, firstSeenAt: longAgo.toISOString(), lastSeenAt: longAgo.toISOString(), count: 1 },
          { country: 'JP', region: 'APAC', firstSeenAt: at(72).toISOString(), lastSeenAt: at(72).toISOString(), count: 1 },
        ],
        byOutcome30d: { VALID: 6, REVOKED: 1 },
        crossBorderCount30d: 3,
        // Its usage was written straight into the tables; no VALID verify asked for a scope.
        scopesUsed90d: [],
        scopesUnused90d: ['orders:read'],
      });
    });

    it('is readable by a viewer, and empty for a token never used', async () => {
      const viewer = await userWithRole(a, 'viewer');
      const unused = (await issueToken(a.owner)).token.id;
      const res = await viewer.get<TokenUsageView>(`/v1/tokens/${unused}/usage`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ lastUsedAt: null, countries: [], byOutcome30d: {}, distinctAddresses30d: 0, crossBorderCount30d: 0 });
    });
  });

  it("shows one tenant nothing of another's usage", async () => {
    expect((await b.owner.get<Problem>(`/v1/tokens/${token}/usage`)).body.code).toBe('NOT_FOUND');
    expect((await a.owner.get<Problem>('/v1/tokens/tok_00000000000000000000zz/usage')).status).toBe(404);
    expect((await b.owner.get<UsageCountsView>(`/v1/usage?tokenId=${token}`)).body.buckets).toEqual([]);
    expect((await b.owner.get<EventPage>(`/v1/usage/events?tokenId=${token}`)).body).toEqual({ items: [], nextCursor: null });
    const theirCounts = await b.owner.get<UsageCountsView>('/v1/usage?groupBy=outcome');
    expect(theirCounts.body.buckets).toEqual([{ key: 'VALID', count: 5, byOutcome: { VALID: 5 } }]);
    const theirEvents = await b.owner.get<EventPage>('/v1/usage/events');
    expect(theirEvents.body.items.map((e) => e.tokenId)).toEqual(Array(5).fill(theirs));
  });
});
