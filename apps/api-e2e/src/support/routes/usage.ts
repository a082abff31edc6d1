import { seedUsageEvents, usageEvent } from '@custos/testing';
import type { RequestContext, RouteSpec } from './route-spec';
import { fixtureOf, BOTH, NO_BODY, type Page } from './shared';

/** A token of A used three times from Germany (VALID) and once from the United States (REVOKED), an hour ago. */
const USED_TOKEN: RouteSpec['object'] = {
  kind: 'token',
  async make(w) {
    const token = await w.newToken();
    const occurredAt = new Date(Date.now() - 3_600_000);
    const use = usageEvent(w.a.tenantId, { tokenId: token.id, occurredAt });
    await seedUsageEvents([
      use,
      { ...use },
      { ...use },
      { ...use, outcome: 'REVOKED', country: 'US', region: 'US', ipPrefix: '8.8.8.0/24', ipHash: 'hash-8.8.8.8', crossBorder: true },
    ]);
    return token;
  },
};

/**
 * A token of A resident in the EU, used from the United States twice (once VALID, once GEO_BLOCKED) an
 * hour ago and twice from Germany: one cross-border transfer of two uses.
 */
const TRANSFERRED_TOKEN: RouteSpec['object'] = {
  kind: 'token',
  async make(w) {
    const token = await w.newToken({ residencyRegion: 'EU', geoMode: 'enforce', allowedRegions: ['EU'] });
    const occurredAt = new Date(Date.now() - 3_600_000);
    const home = usageEvent(w.a.tenantId, { tokenId: token.id, occurredAt });
    const abroad = { ...home, country: 'US', region: 'US', ipPrefix: '8.8.8.0/24', ipHash: 'hash-8.8.8.8', crossBorder: true };
    await seedUsageEvents([home, { ...home }, abroad, { ...abroad, outcome: 'GEO_BLOCKED' }]);
    return token;
  },
};

const TRANSFER = (c: RequestContext) => ({
  tokenId: fixtureOf(c).id, tokenName: fixtureOf(c).name, fromRegion: 'EU', toCountry: 'US', toRegion: 'US', count: 2, byOutcome: { VALID: 1, GEO_BLOCKED: 1 },
});

type UsageItem = { tokenId: string | null };
const tokenIdsOf = (body: unknown): string[] => (body as Page<UsageItem>).items.map((e) => e.tokenId ?? '');

/** The usage routes of the catalogue. */
export const USAGE_ROUTES: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/v1/usage',
    access: { scope: 'custos:usage:read' },
    object: USED_TOKEN,
    valid: (c) => ({ query: `tokenId=${fixtureOf(c).id}&groupBy=outcome` }),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res) {
        expect(res.body).toMatchObject({
          groupBy: 'outcome',
          buckets: [
            { key: 'VALID', count: 3, byOutcome: { VALID: 3 } },
            { key: 'REVOKED', count: 1, byOutcome: { REVOKED: 1 } },
          ],
        });
      },
    },
    invalid: { request: () => ({ query: 'groupBy=week&from=yesterday&kind=batch&colour=red' }), fields: ['groupBy', 'from', 'kind', 'colour'] },
    crossTenant: {
      kind: 'custom',
      title: "B counts none of A's uses, not even when it names A's token",
      async run({ world, fixture }) {
        const ofToken = await world.bKey.get<{ buckets: unknown[] }>(`/v1/usage?tokenId=${fixtureOf({ world, fixture }).id}&groupBy=outcome`);
        expect({ status: ofToken.status, buckets: ofToken.body.buckets }).toEqual({ status: 200, buckets: [] });
        const own = await world.aKey.get<{ buckets: Array<{ key: string | null }> }>('/v1/usage?groupBy=country&kind=verify');
        const theirs = await world.bKey.get<{ buckets: Array<{ key: string | null }> }>('/v1/usage?groupBy=country&kind=verify');
        // B's own verifies (of A's token among them: NOT_FOUND, from loopback, no country) are B's uses; A's are not.
        expect(own.body.buckets.map((b) => b.key)).toEqual(expect.arrayContaining(['DE', 'US']));
        expect(theirs.body.buckets.filter((b) => b.key === 'DE' || b.key === 'US')).toEqual([]);
      },
    },
  },
  {
    method: 'GET',
    path: '/v1/usage/events',
    access: { scope: 'custos:usage:read' },
    object: USED_TOKEN,
    valid: (c) => ({ query: `tokenId=${fixtureOf(c).id}` }),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        const { items, nextCursor } = res.body as Page<Record<string, unknown>> & { nextCursor: string | null };
        expect(items).toHaveLength(4);
        for (const item of items) expect(item).toMatchObject({ tokenId: fixtureOf(c).id, ipPrefix: expect.stringMatching(/\/24$/) });
        expect(JSON.stringify(items)).not.toContain('hash-');
        expect(nextCursor).toBeNull();
      },
    },
    invalid: {
      request: () => ({ query: 'limit=0&country=de&crossBorder=maybe&to=soon&colour=red' }),
      fields: ['limit', 'country', 'crossBorder', 'to', 'colour'],
    },
    crossTenant: { kind: 'list', ids: tokenIdsOf, mine: (c) => fixtureOf(c).id },
  },
  {
    method: 'GET',
    path: '/v1/tokens/:id/usage',
    access: { scope: 'custos:usage:read' },
    object: USED_TOKEN,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({
          tokenId: fixtureOf(c).id,
          lastUsedAt: expect.any(String),
          distinctAddresses30d: 2,
          countries: [expect.objectContaining({ country: 'DE', region: 'EU', count: 3 }), expect.objectContaining({ country: 'US', count: 1 })],
          byOutcome30d: { VALID: 3, REVOKED: 1 },
          crossBorderCount30d: 1,
        });
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'object' },
  },
  {
    method: 'GET',
    path: '/v1/cross-border',
    access: { scope: 'custos:usage:read' },
    object: TRANSFERRED_TOKEN,
    valid: (c) => ({ query: `tokenId=${fixtureOf(c).id}` }),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({ from: expect.any(String), to: expect.any(String), items: [TRANSFER(c)] });
      },
    },
    invalid: { request: () => ({ query: 'from=yesterday&to=soon&kind=verify&colour=red' }), fields: ['from', 'to', 'kind', 'colour'] },
    crossTenant: { kind: 'list', ids: tokenIdsOf, mine: (c) => fixtureOf(c).id },
  },
  {
    method: 'GET',
    path: '/v1/cross-border/export',
    access: { scope: 'custos:usage:read' },
    object: TRANSFERRED_TOKEN,
    valid: (c) => ({ query: `tokenId=${fixtureOf(c).id}&format=json` }),
    success: {
      status: 200,
      as: BOTH,
      audit: ['cross_border.exported'],
      check(res, c) {
        expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="custos-cross-border-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.json"$/);
        expect(res.body).toMatchObject({ items: [TRANSFER(c)] });
      },
    },
    invalid: { request: () => ({ query: 'format=xml&from=soon&colour=red' }), fields: ['format', 'from', 'colour'] },
    crossTenant: { kind: 'list', ids: tokenIdsOf, mine: (c) => fixtureOf(c).id },
  },
  {
    method: 'GET',
    path: '/v1/regions',
    access: { scope: 'custos:policy:read' },
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res) {
        const { items } = res.body as Page<{ code: string; name: string; countries: string[]; builtIn: boolean }>;
        expect(items.map((r) => r.code)).toEqual(['EU', 'UK', 'US', 'CA', 'EFTA', 'APAC', 'EEA', 'ADEQUACY']);
        const eu = items.find((r) => r.code === 'EU');
        expect(eu).toMatchObject({ name: 'European Union', builtIn: true });
        expect(eu?.countries).toHaveLength(27);
        expect(eu?.countries).toEqual(expect.arrayContaining(['DE', 'FR', 'GR']));
      },
    },
    invalid: NO_BODY,
    crossTenant: { notApplicable: "the built-in groups and the caller's own tenant's (rate-limits.e2e-spec shows one tenant's group listed for it)" },
  },
];
