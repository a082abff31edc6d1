import { execFileSync } from 'node:child_process';
import {
  adminUrl,
  ApiClient,
  createScratchDatabase,
  issueToken,
  serviceKey,
  signupTenant,
  startApi,
  withAdminClient,
  type RunningApi,
  type ScratchDatabase,
  type TestTenant,
} from '@custos/testing';

interface EventRow {
  kind: string;
  outcome: string;
  token_id: string | null;
  caller_id: string | null;
  ip_prefix: string | null;
  country: string | null;
  region: string | null;
  resource: string | null;
}

/**
 * Usage events over HTTP, black-box: verifies (refusals included) and a service key's API requests are
 * written once the api stops gracefully, located by the bundled country database from `context.ip`, and
 * no client address is left whole in the database.
 */
describe('usage events', () => {
  let db: ScratchDatabase;
  let api: RunningApi;
  let tenant: TestTenant;
  let rows: EventRow[];
  let tokenId: string;
  let keyId: string;

  beforeAll(async () => {
    db = await createScratchDatabase('usage_events');
    api = await startApi(db.env);
    tenant = await signupTenant(new ApiClient(api.url), 'Usage events');
    const key = await serviceKey(tenant, ['custos:tokens:verify', 'custos:tokens:read']);
    keyId = key.issued.token.id;
    const issued = await issueToken(tenant.owner, { scopes: ['orders:read'] });
    tokenId = issued.token.id;
    const verify = (body: Record<string, unknown>) => key.client.post('/v1/verify', body);
    expect((await verify({ token: issued.secret, context: { ip: '85.214.132.117', resource: '/orders/7' } })).body).toMatchObject({ code: 'VALID' });
    expect((await verify({ token: issued.secret, scopes: ['orders:write'], context: { ip: '8.8.8.8', country: 'DE' } })).body).toMatchObject({
      code: 'INSUFFICIENT_SCOPE',
    });
    expect((await verify({ token: 'cus_live_nothing' })).body).toMatchObject({ code: 'MALFORMED' });
    expect((await key.client.get(`/v1/tokens/${tokenId}`)).status).toBe(200);
    // Written at the latest when the api stops gracefully.
    await api.stop();
    rows = await withAdminClient(db.name, async (client) =>
      (await client.query<EventRow>(
        `SELECT kind, outcome, token_id, caller_id, ip_prefix::text, country, region, resource FROM usage_events WHERE tenant_id = $1 ORDER BY occurred_at, id`,
        [tenant.tenantId],
      )).rows,
    );
  }, 90_000);

  afterAll(async () => {
    await api?.stop();
    await db?.drop();
  });

  it('records each verify answer, located from context.ip, and each request of a service key', () => {
    expect(rows).toEqual([
      { kind: 'verify', outcome: 'VALID', token_id: tokenId, caller_id: keyId, ip_prefix: '85.214.132.0/24', country: 'DE', region: 'EU', resource: '/orders/7' },
      { kind: 'verify', outcome: 'INSUFFICIENT_SCOPE', token_id: tokenId, caller_id: keyId, ip_prefix: '8.8.8.0/24', country: 'US', region: 'US', resource: null },
      // No context.ip: the caller's own address, a loopback one here, which has no country.
      { kind: 'verify', outcome: 'MALFORMED', token_id: null, caller_id: keyId, ip_prefix: '127.0.0.0/24', country: null, region: null, resource: null },
      { kind: 'api', outcome: '200', token_id: keyId, caller_id: keyId, ip_prefix: '127.0.0.0/24', country: null, region: null, resource: 'GET /v1/tokens/:id' },
    ]);
  });

  it('leaves no client address of a use whole in the database', () => {
    const dump = execFileSync('pg_dump', ['--data-only', adminUrl(db.name)], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    expect(dump).toContain('85.214.132.0/24');
    expect(dump).not.toContain('85.214.132.117');
    expect(dump).not.toMatch(/\b8\.8\.8\.8\b/);
    // The test's own client: in usage events and in the audit trail only as its network.
    expect(dump).toContain('127.0.0.0/24');
    expect(dump).not.toMatch(/127\.0\.0\.1(?!\d)/);
  });

  describe('a verify load', () => {
    it('has every answer in /v1/usage after a graceful stop, and no client address whole in the logs', async () => {
      const loaded = await startApi({ ...db.env, LOG_LEVEL: 'debug' });
      const loadTenant = await signupTenant(new ApiClient(loaded.url), 'Usage load');
      const key = await serviceKey(loadTenant, ['custos:tokens:verify']);
      const issued = await issueToken(loadTenant.owner, { scopes: ['orders:read'] });
      const clients = ['85.214.132.117', '8.8.8.8', '2a00:1450:4001:82a::200e'];
      let sent = 0;
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          while (sent < 600) {
            const ip = clients[sent++ % clients.length]!;
            const answer = await key.client.post<{ code: string }>('/v1/verify', { token: issued.secret, context: { ip } });
            expect(answer.body.code).toBe('VALID');
          }
        }),
      );
      const logs = loaded.output();
      await loaded.stop();

      const reader = await startApi(db.env);
      try {
        const owner = new ApiClient(reader.url, loadTenant.owner.auth);
        const usage = await owner.get<{ buckets: Array<{ key: string; count: number }> }>(`/v1/usage?tokenId=${issued.token.id}&groupBy=outcome`);
        expect(usage.body.buckets).toEqual([{ key: 'VALID', count: 600, byOutcome: { VALID: 600 } }]);
        const summary = await owner.get<{ countries: Array<{ country: string; count: number }> }>(`/v1/tokens/${issued.token.id}/usage`);
        expect(summary.body.countries.map((c) => [c.country, c.count]).sort()).toEqual([['DE', 200], ['IE', 200], ['US', 200]]);
      } finally {
        await reader.stop();
      }
      expect(logs.length).toBeGreaterThan(0);
      expect(logs).not.toContain('85.214.132.117');
      expect(logs).not.toMatch(/\b8\.8\.8\.8\b/);
      expect(logs).not.toContain('2a00:1450:4001:82a::200e');
    }, 90_000);
  });

  describe('geofencing', () => {
    let geoApi: RunningApi;
    let geoTenant: TestTenant;
    let verifyAs: ApiClient;

    beforeAll(async () => {
      geoApi = await startApi(db.env);
      geoTenant = await signupTenant(new ApiClient(geoApi.url), 'Geofencing');
      verifyAs = (await serviceKey(geoTenant, ['custos:tokens:verify'])).client;
    }, 60_000);

    afterAll(async () => {
      await geoApi?.stop();
    });

    const codeFor = async (secret: string, ip: string) => (await verifyAs.post<{ code: string }>('/v1/verify', { token: secret, context: { ip } })).body.code;

    it('answers GEO_BLOCKED for a use from the United States of a token enforced to the EU, VALID for one from Germany', async () => {
      const issued = await issueToken(geoTenant.owner, { residencyRegion: 'EU', geoMode: 'enforce', allowedRegions: ['EU'] });
      expect(issued.token).toMatchObject({ residencyRegion: 'EU', geoMode: 'enforce', allowedRegions: ['EU'], allowedCountries: [] });
      expect(await codeFor(issued.secret, '85.214.132.117')).toBe('VALID');
      expect(await codeFor(issued.secret, '8.8.8.8')).toBe('GEO_BLOCKED');
    });

    it('keeps a monitored token VALID from the United States, its use flagged and cross-border', async () => {
      const issued = await issueToken(geoTenant.owner, { residencyRegion: 'EU', geoMode: 'monitor', allowedRegions: ['EU'] });
      expect(await codeFor(issued.secret, '8.8.8.8')).toBe('VALID');
      await geoApi.stop();
      const flags = await withAdminClient(db.name, async (client) =>
        (await client.query<{ country: string; cross_border: boolean; geo_flagged: boolean }>(
          `SELECT country, cross_border, geo_flagged FROM usage_events WHERE token_id = $1`,
          [issued.token.id],
        )).rows,
      );
      expect(flags).toEqual([{ country: 'US', cross_border: true, geo_flagged: true }]);
    });

    it('refuses unknown region codes and a geofence loosened by a service key', async () => {
      geoApi = await startApi(db.env);
      const owner = new ApiClient(geoApi.url, geoTenant.owner.auth);
      const refused = await owner.post<{ errors: Array<{ field: string }> }>('/v1/tokens', {
        name: 'bad fence', scopes: ['orders:read'], expiresInSeconds: 3600, allowedRegions: ['EU', 'NOPE'], allowedCountries: ['XX'],
      });
      expect(refused.status).toBe(400);
      expect(refused.body.errors.map((e) => e.field).sort()).toEqual(['allowedCountries', 'allowedRegions']);
      const issued = await issueToken(owner, { geoMode: 'enforce', allowedRegions: ['EU'] });
      const key = new ApiClient(geoApi.url).withAuth({ bearer: (await serviceKey({ ...geoTenant, owner }, ['custos:tokens:update'])).issued.secret });
      expect((await key.patch(`/v1/tokens/${issued.token.id}`, { geoMode: 'monitor' })).status).toBe(403);
      expect((await key.patch(`/v1/tokens/${issued.token.id}`, { allowedRegions: [], allowedCountries: ['DE'] })).status).toBe(200);
      expect((await owner.patch(`/v1/tokens/${issued.token.id}`, { geoMode: 'monitor' })).status).toBe(200);
    });
  });
});
