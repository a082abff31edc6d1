import { randomBytes } from 'node:crypto';
import {
  ApiClient,
  createScratchDatabase,
  issueToken,
  serviceKey,
  signupTenant,
  startApi,
  startTestRedis,
  type RunningApi,
  type ScratchDatabase,
  type TestRedisServer,
  type TestTenant,
} from '@custos/testing';

interface Answer {
  code: string;
  rateLimit?: { limit: number; remaining: number; resetAt: string };
  retryAfterSeconds?: number;
}

/**
 * Rate limits and the tenant's geo policy over HTTP, on two api instances sharing one database and one
 * Redis: a token's limit is one budget whichever instance answers, a service key's API budget comes from
 * the policy, and a geo rule of the policy reaches verify on every instance at once.
 */
describe('rate limits and the geo policy', () => {
  let db: ScratchDatabase;
  let redis: TestRedisServer;
  let one: RunningApi;
  let two: RunningApi;
  let tenant: TestTenant;
  let verifyOnOne: ApiClient;
  let verifyOnTwo: ApiClient;

  beforeAll(async () => {
    db = await createScratchDatabase('rate_limits');
    redis = await startTestRedis();
    const env = { ...db.env, REDIS_URL: redis.url, CUSTOS_QUEUE_PREFIX: `{custos-rate-${randomBytes(4).toString('hex')}}` };
    [one, two] = await Promise.all([startApi(env), startApi(env)]);
    tenant = await signupTenant(new ApiClient(one.url), 'Rate limits');
    const key = await serviceKey(tenant, ['custos:tokens:verify']);
    verifyOnOne = key.client;
    verifyOnTwo = new ApiClient(two.url).withAuth({ bearer: key.issued.secret });
  }, 90_000);

  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    await redis?.stop();
    await db?.drop();
  });

  const verifyOn = async (client: ApiClient, token: string, context?: Record<string, string>) =>
    (await client.post<Answer>('/v1/verify', { token, ...(context ? { context } : {}) })).body;

  it('answers exactly 5 VALID of 8 verifies spread over two instances for a token limited to 5 a minute', async () => {
    const issued = await issueToken(tenant.owner, { rateLimit: { limit: 5, windowSeconds: 60 } });
    expect(issued.token).toMatchObject({ rateLimit: { limit: 5, windowSeconds: 60 } });

    const answers: Answer[] = [];
    for (let i = 0; i < 8; i++) answers.push(await verifyOn(i % 2 ? verifyOnTwo : verifyOnOne, issued.secret));

    expect(answers.map((a) => a.code)).toEqual(['VALID', 'VALID', 'VALID', 'VALID', 'VALID', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(answers.slice(0, 5).map((a) => a.rateLimit?.remaining)).toEqual([4, 3, 2, 1, 0]);
    for (const refused of answers.slice(5)) {
      expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
      expect(refused.rateLimit).toBeUndefined();
    }
  });

  it('lets anyone who may edit a token lower its limit, and only an owner or admin raise or lift it', async () => {
    const issued = await issueToken(tenant.owner, { rateLimit: { limit: 100, windowSeconds: 60 } });
    const editor = (await serviceKey(tenant, ['custos:tokens:update'])).client;
    const path = `/v1/tokens/${issued.token.id}`;

    expect((await editor.patch(path, { rateLimit: { limit: 10, windowSeconds: 60 } })).body).toMatchObject({ rateLimit: { limit: 10 } });
    const raised = await editor.patch<{ errors: Array<{ field: string }> }>(path, { rateLimit: { limit: 1000, windowSeconds: 60 } });
    expect(raised.status).toBe(403);
    expect(raised.body.errors).toEqual([{ field: 'rateLimit', message: 'may only lower the rate limit' }]);
    expect((await editor.patch(path, { rateLimit: null })).status).toBe(403);
    expect((await tenant.owner.patch(path, { rateLimit: null })).body).toMatchObject({ rateLimit: null });
    // The change reached both instances' caches: the token is unlimited now.
    expect((await verifyOn(verifyOnTwo, issued.secret)).rateLimit).toBeUndefined();
  });

  it('refuses a limit outside its bounds with a field error, and issues nothing', async () => {
    const before = (await tenant.owner.get<{ items: unknown[] }>('/v1/tokens?limit=100')).body.items.length;
    const refused = await tenant.owner.post<{ errors: Array<{ field: string }> }>('/v1/tokens', {
      name: 'too fast', scopes: ['orders:read'], expiresInSeconds: 3600, rateLimit: { limit: 0, windowSeconds: 86_401 },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e) => e.field).sort()).toEqual(['rateLimit.limit', 'rateLimit.windowSeconds']);
    expect((await tenant.owner.get<{ items: unknown[] }>('/v1/tokens?limit=100')).body.items).toHaveLength(before);
  });

  it("gives each service key the policy's API budget on every instance, then 429 with Retry-After; verify is not counted", async () => {
    const policy = (await tenant.owner.get<Record<string, unknown>>('/v1/policy')).body;
    const { updatedAt: _updatedAt, ...current } = policy;
    expect((await tenant.owner.put('/v1/policy', { ...current, apiRateLimit: { limit: 3, windowSeconds: 60 } })).status).toBe(200);
    const reader = await serviceKey(tenant, ['custos:tokens:read', 'custos:tokens:verify']);
    const readerOnTwo = new ApiClient(two.url).withAuth({ bearer: reader.issued.secret });

    const first = await reader.client.get('/v1/tokens');
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('3');
    expect(first.headers.get('ratelimit-remaining')).toBe('2');
    expect((await readerOnTwo.get('/v1/tokens')).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await reader.client.post('/v1/verify', { token: 'cus_live_nothing' })).status).toBe(200);
    expect((await reader.client.get('/v1/tokens')).status).toBe(200);

    const refused = await readerOnTwo.get<{ code: string }>('/v1/tokens');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // People in the dashboard are not service keys: their budget is the sign-in throttle's.
    expect((await tenant.owner.get('/v1/tokens')).status).toBe(200);
    expect((await tenant.owner.put('/v1/policy', current)).status).toBe(200);
  });

  it('applies a geo rule of the policy, with its own region group, to tokens of its data category on every instance at once', async () => {
    const payroll = await issueToken(tenant.owner, { dataCategories: ['payroll'] });
    const orders = await issueToken(tenant.owner, { dataCategories: ['orders'] });
    const fromUs = { ip: '8.8.8.8' };
    expect((await verifyOn(verifyOnTwo, payroll.secret, fromUs)).code).toBe('VALID');

    const { updatedAt: _updatedAt, ...current } = (await tenant.owner.get<Record<string, unknown>>('/v1/policy')).body;
    const put = await tenant.owner.put<{ geo: unknown }>('/v1/policy', {
      ...current,
      geo: {
        regionGroups: [{ code: 'DACH', name: 'Germany, Austria, Switzerland', countries: ['DE', 'AT', 'CH'] }],
        rules: [{ dataCategories: ['payroll'], mode: 'enforce', allowedRegions: ['DACH'], allowedCountries: [] }],
      },
    });
    expect(put.status).toBe(200);

    expect((await verifyOn(verifyOnTwo, payroll.secret, fromUs)).code).toBe('GEO_BLOCKED');
    expect((await verifyOn(verifyOnOne, payroll.secret, { ip: '85.214.132.117' })).code).toBe('VALID');
    expect((await verifyOn(verifyOnOne, orders.secret, fromUs)).code).toBe('VALID');
    // The tenant's group is a region like the built-in ones: listed for it alone, and a token may reside in it.
    const regions = (await tenant.owner.get<{ items: Array<{ code: string; builtIn: boolean }> }>('/v1/regions')).body.items;
    expect(regions.filter((r) => !r.builtIn)).toEqual([{ code: 'DACH', name: 'Germany, Austria, Switzerland', countries: ['DE', 'AT', 'CH'], builtIn: false }]);
    const stranger = await signupTenant(new ApiClient(two.url), 'Another tenant');
    expect((await stranger.owner.get<{ items: Array<{ code: string }> }>('/v1/regions')).body.items.map((r) => r.code)).not.toContain('DACH');
    const dach = await issueToken(tenant.owner, { residencyRegion: 'DACH' });
    expect(dach.token).toMatchObject({ residencyRegion: 'DACH' });
  });

  it('refuses a geo policy naming an unknown region, and keeps the one in force', async () => {
    const { updatedAt: _updatedAt, ...current } = (await tenant.owner.get<Record<string, unknown>>('/v1/policy')).body;
    const refused = await tenant.owner.put<{ errors: Array<{ field: string }> }>('/v1/policy', {
      ...current,
      geo: { rules: [{ dataCategories: ['payroll'], mode: 'enforce', allowedRegions: ['ATLANTIS'], allowedCountries: [] }] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e) => e.field)).toEqual(['geo.rules.0.allowedRegions']);
    expect((await tenant.owner.get('/v1/policy')).body).toEqual({ ...current, updatedAt: _updatedAt });
  });

  it('keeps answering while Redis is away, each instance counting alone, and says so in its metrics', async () => {
    const issued = await issueToken(tenant.owner, { rateLimit: { limit: 2, windowSeconds: 60 } });
    await redis.stop();
    try {
      const answers: string[] = [];
      for (let i = 0; i < 3; i++) answers.push((await verifyOn(verifyOnOne, issued.secret)).code);
      expect(answers).toEqual(['VALID', 'VALID', 'RATE_LIMITED']);
      const metrics = String((await new ApiClient(one.url).get('/metrics')).body);
      expect(Number(/^custos_rate_limit_fallback_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);
      expect(metrics).toMatch(/^custos_rate_limits_shared 1$/m);
    } finally {
      await redis.start();
    }
  });
});
