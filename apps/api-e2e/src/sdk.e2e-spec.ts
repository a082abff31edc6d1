import { randomUUID } from 'node:crypto';
import { createVerifier, type Verifier } from '@custos/node';
import {
  ApiClient,
  deleteRedisNamespace,
  issueToken,
  pollUntil,
  serviceKey,
  signupTenant,
  startApi,
  type RunningApi,
  type TestTenant,
} from '@custos/testing';

/** fetch, with a switch that cuts the events feed (its open streams and every new one) and leaves the rest. */
function cuttableFetch() {
  const open = new Set<AbortController>();
  let cut = false;
  return {
    fetch: async (request: Request): Promise<Response> => {
      if (!new URL(request.url).pathname.endsWith('/v1/events/stream')) return fetch(request);
      if (cut) throw new TypeError('fetch failed (feed cut by the test)');
      const controller = new AbortController();
      request.signal.addEventListener('abort', () => controller.abort(request.signal.reason));
      open.add(controller);
      return fetch(new Request(request, { signal: controller.signal }));
    },
    cut(on: boolean) {
      cut = on;
      if (on) for (const controller of open) controller.abort(new Error('feed cut by the test'));
      open.clear();
    },
  };
}

/**
 * The Node SDK's verifier against two real api instances of one installation: it verifies through Custos
 * first, then in process; a revocation through the other instance reaches it through the feed; with the
 * feed cut it asks Custos every time; and what it answered itself is counted as Custos's own verifies.
 */
describe('the SDK verifier against a running Custos', () => {
  const prefix = `{custos-sdk-${randomUUID().slice(0, 8)}}`;
  let one: RunningApi;
  let two: RunningApi;
  let tenant: TestTenant;
  let key: string;
  let verifier: Verifier;
  const network = cuttableFetch();

  beforeAll(async () => {
    [one, two] = await Promise.all([startApi({ CUSTOS_QUEUE_PREFIX: prefix }), startApi({ CUSTOS_QUEUE_PREFIX: prefix })]);
    tenant = await signupTenant(new ApiClient(one.url), 'SDK');
    key = (await serviceKey(tenant, ['custos:tokens:verify'])).issued.secret;
    verifier = createVerifier({ baseUrl: one.url, serviceKey: key, fetch: network.fetch, reportIntervalMs: 100, feedReconnectMaxMs: 200 });
    await pollUntil(async () => verifier.metrics().feed, (state) => state === 'connected');
  }, 60_000);

  afterAll(async () => {
    await verifier.close();
    await Promise.all([one.stop(), two.stop()]);
    await deleteRedisNamespace(prefix);
  });

  it('asks Custos first, then answers repeats in process by the same rules', async () => {
    const issued = await issueToken(tenant.owner, { scopes: ['orders:read'] });
    const first = await verifier.verify(issued.secret, { scopes: ['orders:read'] });
    expect(first).toMatchObject({ valid: true, code: 'VALID', tokenId: issued.token.id, cached: false });
    const again = await verifier.verify(issued.secret, { scopes: ['orders:read'] });
    expect(again).toMatchObject({ valid: true, code: 'VALID', cached: true });
    expect(await verifier.verify(issued.secret, { scopes: ['orders:write'] })).toMatchObject({ valid: false, code: 'INSUFFICIENT_SCOPE', cached: true });
    expect(verifier.cacheKeys().some((k) => k.includes(issued.secret))).toBe(false);
  });

  it('refuses a token revoked through the other api instance as soon as the feed brings the news', async () => {
    const issued = await issueToken(tenant.owner);
    await verifier.verify(issued.secret);
    expect((await verifier.verify(issued.secret)).cached).toBe(true);
    const ownerOnTwo = new ApiClient(two.url, tenant.owner.auth);
    expect((await ownerOnTwo.post(`/v1/tokens/${issued.token.id}/revoke`, { reason: 'sdk test' })).status).toBe(200);
    const refused = await pollUntil(() => verifier.verify(issued.secret), (r) => !r.valid, { timeoutMs: 2000, intervalMs: 1 });
    // Revocation is final: the feed's event alone decides it, no trip to Custos.
    expect(refused).toMatchObject({ code: 'REVOKED', cached: true });
    expect(verifier.metrics().evictions).toBeGreaterThan(0);
  });

  it('asks Custos for every verify while the feed is cut, and answers from cache again once it is back', async () => {
    const issued = await issueToken(tenant.owner);
    network.cut(true);
    try {
      await pollUntil(async () => verifier.metrics().feed, (state) => state !== 'connected');
      const answers = [await verifier.verify(issued.secret), await verifier.verify(issued.secret), await verifier.verify(issued.secret)];
      expect(answers.map((a) => [a.code, a.cached])).toEqual([['VALID', false], ['VALID', false], ['VALID', false]]);
    } finally {
      network.cut(false);
    }
    await pollUntil(async () => verifier.metrics().feed, (state) => state === 'connected', { timeoutMs: 5000 });
    await verifier.verify(issued.secret);
    expect((await verifier.verify(issued.secret)).cached).toBe(true);
  });

  it("counts the verifies it answered itself in the token's uses", async () => {
    const issued = await issueToken(tenant.owner);
    for (let i = 0; i < 10; i++) expect((await verifier.verify(issued.secret, { ip: '198.51.100.9' })).valid).toBe(true);
    expect(verifier.metrics().hits).toBeGreaterThanOrEqual(9);
    await verifier.flush();
    const token = await pollUntil(
      () => tenant.owner.get<{ useCount: number; lastUsedAt: string | null }>(`/v1/tokens/${issued.token.id}`),
      (r) => r.body.useCount === 10,
    );
    expect(token.body.lastUsedAt).not.toBeNull();
  });
});
