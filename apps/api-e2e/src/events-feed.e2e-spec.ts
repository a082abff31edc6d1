import { randomUUID } from 'node:crypto';
import {
  ApiClient,
  deleteRedisNamespace,
  issueToken,
  openEventStream,
  pollUntil,
  serviceKey,
  signupTenant,
  startApi,
  startWorker,
  type EventStream,
  type IssuedBody,
  type RunningApi,
  type RunningProcess,
  type TestTenant,
} from '@custos/testing';

interface TokenEventData {
  kind: string;
  tokenId: string;
  lookupId: string;
}

const isTokenEvent = (tokenId: string, kind: string) => (e: { event: string; data: unknown }) =>
  e.event === 'token' && (e.data as TokenEventData).tokenId === tokenId && (e.data as TokenEventData).kind === kind;

// @runsAlone: it starts a worker on the run's database, whose sweeps act on every tenant in it (npm test runs it after the rest, by itself).
/**
 * The events feed and usage reports that let a service verify in its own process: every change reaches
 * a client connected to any api instance, resumably, within its tenant only; verify gives what a cache
 * needs; and what the service answers from it is counted as Custos's own verifies are.
 */
describe('the events feed', () => {
  // Two api instances and a worker of one installation (one Redis namespace): what any of them changes is in the feed.
  const prefix = `{custos-feed-${randomUUID().slice(0, 8)}}`;
  let api: ApiClient;
  let one: RunningApi;
  let other: RunningApi;
  let worker: RunningProcess;
  let tenant: TestTenant;
  let verifier: ApiClient;
  const streams: EventStream[] = [];

  const follow = async (client: ApiClient, headers: Record<string, string> = {}) => {
    const stream = await openEventStream(client, '/v1/events/stream', headers);
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    [one, other, worker] = await Promise.all([
      startApi({ CUSTOS_QUEUE_PREFIX: prefix }),
      startApi({ CUSTOS_QUEUE_PREFIX: prefix }),
      startWorker({ CUSTOS_QUEUE_PREFIX: prefix, CUSTOS_SWEEP_INTERVAL_MS: '200' }),
    ]);
    api = new ApiClient(one.url);
    tenant = await signupTenant(api, 'Events feed');
    verifier = (await serviceKey(tenant, ['custos:tokens:verify'])).client;
  }, 60_000);

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await Promise.all([one.stop(), other.stop(), worker.stop()]);
    await deleteRedisNamespace(prefix);
  });

  it('tells a client on another api instance of a revocation at once, with the ids and nothing secret', async () => {
    const stream = await follow(new ApiClient(other.url, verifier.auth));
    expect(stream.status).toBe(200);
    await stream.next((e) => e.event === 'heartbeat');
    const issued = await issueToken(tenant.owner);
    const revokedAt = performance.now();
    expect((await tenant.owner.post(`/v1/tokens/${issued.token.id}/revoke`, { reason: 'test' })).status).toBe(200);
    const event = await stream.next(isTokenEvent(issued.token.id, 'revoked'), 2000);
    expect(event.data).toEqual({ kind: 'revoked', tokenId: issued.token.id, lookupId: issued.token.lookupId, at: expect.any(String) });
    expect(event.id).toMatch(/^\d+-\d+$/);
    expect(JSON.stringify(event.data)).not.toContain(issued.secret);
    // Told as the revocation is answered (the api waits for the append), not after a poll.
    expect(event.receivedAt - revokedAt).toBeLessThan(2000);
  });

  it('names suspensions, resumptions, rotations and narrowings, and drops a tenant on a verify-relevant policy change', async () => {
    const stream = await follow(verifier);
    await stream.next((e) => e.event === 'heartbeat');
    const issued = await issueToken(tenant.owner, { scopes: ['orders:read', 'orders:write'] });
    const id = issued.token.id;
    expect((await tenant.owner.post(`/v1/tokens/${id}/suspend`, { reason: 'check' })).status).toBe(200);
    await stream.next(isTokenEvent(id, 'suspended'));
    expect((await tenant.owner.post(`/v1/tokens/${id}/resume`, {})).status).toBe(200);
    await stream.next(isTokenEvent(id, 'resumed'));
    expect((await tenant.owner.patch(`/v1/tokens/${id}`, { scopes: ['orders:read'] })).status).toBe(200);
    await stream.next(isTokenEvent(id, 'narrowed'));
    expect((await tenant.owner.post(`/v1/tokens/${id}/rotate`, { gracePeriodSeconds: 60 })).status).toBe(201);
    await stream.next(isTokenEvent(id, 'rotated'));

    const { updatedAt: _updatedAt, ...policy } = (await tenant.owner.get<Record<string, unknown>>('/v1/policy')).body;
    expect((await tenant.owner.put('/v1/policy', { ...policy, requireConsentFor: ['health'] })).status).toBe(200);
    const dropped = await stream.next((e) => e.event === 'tenant');
    expect(dropped.data).toMatchObject({ kind: 'policy_changed' });
  });

  it("hears of the worker's changes too: a token's expiry", async () => {
    const stream = await follow(new ApiClient(other.url, verifier.auth));
    await stream.next((e) => e.event === 'heartbeat');
    const issued = await issueToken(tenant.owner, { expiresInSeconds: 1 });
    await stream.next(isTokenEvent(issued.token.id, 'expired'), 10_000);
  });

  it('resumes after Last-Event-ID with what the client missed, and answers an id it no longer keeps with a reset', async () => {
    const first = await follow(verifier);
    const a = await issueToken(tenant.owner);
    expect((await tenant.owner.post(`/v1/tokens/${a.token.id}/revoke`, { reason: 'a' })).status).toBe(200);
    const seen = await first.next(isTokenEvent(a.token.id, 'revoked'));
    first.close();

    const b = await issueToken(tenant.owner);
    expect((await tenant.owner.post(`/v1/tokens/${b.token.id}/revoke`, { reason: 'b' })).status).toBe(200);
    const resumed = await follow(new ApiClient(other.url, verifier.auth), { 'last-event-id': seen.id! });
    const missed = await resumed.next((e) => e.event === 'token');
    expect(missed.data).toMatchObject({ kind: 'revoked', tokenId: b.token.id });
    expect((await resumed.next((e) => e.event === 'heartbeat')).id).toBe(missed.id);

    const stale = await follow(verifier, { 'last-event-id': '1-0' });
    const reset = await stale.next((e) => e.event === 'reset');
    // Heartbeats and resets carry the point the client stands at, so its next Last-Event-ID resumes from there.
    expect(reset.id).toMatch(/^\d+-\d+$/);
    const beat = await stale.next((e) => e.event === 'heartbeat');
    expect(beat.id).toBe(reset.id);
  });

  it("never shows one tenant's changes to another's key", async () => {
    const stranger = await signupTenant(api, 'Events feed stranger');
    const theirs = await follow((await serviceKey(stranger, ['custos:tokens:verify'])).client);
    await theirs.next((e) => e.event === 'heartbeat');
    const mine = await follow(verifier);
    const issued = await issueToken(tenant.owner);
    expect((await tenant.owner.post(`/v1/tokens/${issued.token.id}/revoke`, { reason: 'x' })).status).toBe(200);
    await mine.next(isTokenEvent(issued.token.id, 'revoked'));
    expect(theirs.events.filter((e) => e.event === 'token')).toEqual([]);
  });
});

describe('verify for a cache, and usage reports', () => {
  const api = ApiClient.fromEnv();
  let tenant: TestTenant;
  let verifier: ApiClient;

  beforeAll(async () => {
    tenant = await signupTenant(api, 'Cache hints');
    verifier = (await serviceKey(tenant, ['custos:tokens:verify'])).client;
  });

  const verify = (issued: IssuedBody, cache: boolean) =>
    verifier.post<Record<string, unknown>>('/v1/verify', { token: issued.secret, scopes: ['orders:read'], context: { ip: '10.1.2.3' }, cache });

  it('gives a cache hint when asked, with every scope and restriction of the token, and only for tokens a cache may answer for', async () => {
    const plain = await issueToken(tenant.owner, { scopes: ['orders:read', 'orders:write'], allowedCidrs: ['10.0.0.0/8'] });
    const hinted = await verify(plain, true);
    expect(hinted.body).toMatchObject({
      valid: true,
      cache: { lookupId: plain.token.lookupId, scopes: ['orders:read', 'orders:write'], allowedCidrs: ['10.0.0.0/8'], graceEndsAt: null, consent: null },
    });
    expect((await verify(plain, false)).body).not.toHaveProperty('cache');
    const counted = await issueToken(tenant.owner, { maxUses: 10 });
    expect((await verify(counted, true)).body).not.toHaveProperty('cache');
    const limited = await issueToken(tenant.owner, { rateLimit: { limit: 100, windowSeconds: 60 } });
    expect((await verify(limited, true)).body).not.toHaveProperty('cache');
  });

  it('counts reported uses as verifies: usage events, last used, and unknown tokens ignored', async () => {
    const issued = await issueToken(tenant.owner);
    const at = new Date(Date.now() - 1000).toISOString();
    const uses = [
      ...Array.from({ length: 5 }, () => ({ tokenId: issued.token.id, at, code: 'VALID', ip: '198.51.100.7', scopes: ['orders:read'] })),
      { tokenId: issued.token.id, at, code: 'INSUFFICIENT_SCOPE' },
      { tokenId: 'tok_0000000000000000000000', at, code: 'VALID' },
    ];
    const res = await verifier.post('/v1/usage/report', { uses });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 6, ignored: 1 });
    const usage = await pollUntil(
      () => tenant.owner.get<{ buckets: Array<{ key: string; count: number }> }>(`/v1/usage?tokenId=${issued.token.id}&groupBy=outcome`),
      (r) => r.body.buckets.reduce((n, b) => n + b.count, 0) === 6,
    );
    expect(usage.body.buckets.map((b) => [b.key, b.count]).sort()).toEqual([['INSUFFICIENT_SCOPE', 1], ['VALID', 5]]);
    const token = await pollUntil(
      () => tenant.owner.get<{ lastUsedAt: string | null }>(`/v1/tokens/${issued.token.id}`),
      (r) => r.body.lastUsedAt !== null,
    );
    expect(Date.parse(token.body.lastUsedAt!)).toBe(Date.parse(at));
  });

  it('takes repeats counted on one entry: one usage event standing for them all, every one counted', async () => {
    const issued = await issueToken(tenant.owner);
    const res = await verifier.post('/v1/usage/report', { uses: [{ tokenId: issued.token.id, code: 'VALID', ip: '198.51.100.8', count: 250 }] });
    expect(res.body).toEqual({ accepted: 250, ignored: 0 });
    const token = await pollUntil(
      () => tenant.owner.get<{ useCount: number }>(`/v1/tokens/${issued.token.id}`),
      (r) => r.body.useCount === 250,
    );
    expect(token.body.useCount).toBe(250);
    const usage = await pollUntil(
      () => tenant.owner.get<{ buckets: Array<{ key: string; count: number }> }>(`/v1/usage?tokenId=${issued.token.id}&groupBy=outcome`),
      (r) => r.body.buckets.length > 0,
    );
    expect(usage.body.buckets.map((b) => [b.key, b.count])).toEqual([['VALID', 250]]);
    const events = await tenant.owner.get<{ items: Array<{ uses: number; outcome: string }> }>(`/v1/usage/events?tokenId=${issued.token.id}`);
    expect(events.body.items.map((e) => [e.outcome, e.uses])).toEqual([['VALID', 250]]);
  });

  it('refuses a report of uses outside the last day, naming the field, and records none of it', async () => {
    const issued = await issueToken(tenant.owner);
    const res = await verifier.post('/v1/usage/report', {
      uses: [
        { tokenId: issued.token.id, code: 'VALID' },
        { tokenId: issued.token.id, at: new Date(Date.now() - 2 * 86_400_000).toISOString(), code: 'VALID' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'uses.1.at' }] });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const usage = await tenant.owner.get<{ buckets: unknown[] }>(`/v1/usage?tokenId=${issued.token.id}&groupBy=outcome`);
    expect(usage.body.buckets).toEqual([]);
  });
});

describe('an api instance with clients on its events feed', () => {
  it('ends their streams and stops promptly when told to stop (the streams never end by themselves)', async () => {
    const instance = await startApi();
    const stranger = await signupTenant(new ApiClient(instance.url), 'Feed at shutdown');
    const key = (await serviceKey(stranger, ['custos:tokens:verify'])).client;
    const stream = await openEventStream(key);
    await stream.next((e) => e.event === 'heartbeat');
    const asked = Date.now();
    const exit = await instance.stop();
    // Nest re-raises the signal once its shutdown hooks ran: SIGTERM is as clean an end as 0.
    expect({ clean: exit === 0 || exit === 'SIGTERM', withinMs: Date.now() - asked < 5000 }).toEqual({ clean: true, withinMs: true });
    await stream.ended;
    stream.close();
  }, 30_000);
});
