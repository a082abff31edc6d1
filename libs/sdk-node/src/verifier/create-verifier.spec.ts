import { createHash } from 'node:crypto';
import { VerifyCode } from '@custos/contracts';
import { ScriptedCustos, until } from '../testing/scripted-custos';
import { createVerifier, type Verifier, type VerifierOptions } from './create-verifier';

describe('createVerifier against a scripted Custos', () => {
  let custos: ScriptedCustos;
  let verifier: Verifier;
  const errors: unknown[] = [];

  async function start(options: Partial<VerifierOptions> = {}): Promise<Verifier> {
    verifier = createVerifier({
      baseUrl: custos.baseUrl,
      serviceKey: 'svc_key',
      reportIntervalMs: 50,
      // Heartbeats come every 50 ms; 500 leaves room for a loaded machine's pauses before the feed counts as silent.
      feedHeartbeatMs: 500,
      feedReconnectMaxMs: 100,
      onError: (error) => errors.push(error),
      ...options,
    });
    await until(() => verifier.metrics().feed === 'connected');
    return verifier;
  }

  beforeEach(async () => {
    custos = await ScriptedCustos.start();
    custos.startHeartbeats(50);
    errors.length = 0;
  });

  afterEach(async () => {
    await verifier.close();
    await custos.stop();
  });

  it('sends the first verify to Custos and decides the repeat in process', async () => {
    await start();
    const token = custos.validToken({ scopes: ['orders:read', 'orders:write'] });

    const first = await verifier.verify(token.raw, { scopes: ['orders:read'], ip: '203.0.113.7' });
    const second = await verifier.verify(token.raw, { scopes: ['orders:write'], ip: '203.0.113.7' });

    expect(first).toMatchObject({ valid: true, code: VerifyCode.VALID, tokenId: token.tokenId, cached: false });
    expect(second).toMatchObject({ valid: true, code: VerifyCode.VALID, tokenId: token.tokenId, scopes: ['orders:read', 'orders:write'], cached: true });
    expect(custos.verifyCalls).toHaveLength(1);
    expect(custos.verifyCalls[0]).toMatchObject({ scopes: ['orders:read'], context: { ip: '203.0.113.7' }, cache: true, authorization: 'Bearer svc_key' });
    expect(verifier.metrics()).toMatchObject({ hits: 1, misses: 1, feed: 'connected' });
  });

  it('decides a cached token with the server rules: a scope it lacks is refused in process', async () => {
    await start();
    const token = custos.validToken({ scopes: ['orders:read'], allowedCidrs: ['10.0.0.0/8'] });
    await verifier.verify(token.raw, { ip: '10.0.0.1' });

    expect(await verifier.verify(token.raw, { scopes: ['orders:delete'], ip: '10.0.0.1' })).toMatchObject({ valid: false, code: VerifyCode.INSUFFICIENT_SCOPE, cached: true });
    expect(await verifier.verify(token.raw, { ip: '192.168.1.1' })).toMatchObject({ valid: false, code: VerifyCode.IP_BLOCKED, cached: true });
    expect(custos.verifyCalls).toHaveLength(1);
  });

  it('keys the cache by a SHA-256 of the token, never the token itself', async () => {
    await start();
    const token = custos.validToken();
    await verifier.verify(token.raw);

    const keys = verifier.cacheKeys();
    expect(keys).toEqual([createHash('sha256').update(token.raw).digest('base64url')]);
    expect(keys.join()).not.toContain(token.raw);
    expect(keys.join()).not.toContain(token.lookupId);
  });

  it('refuses a token the feed says is revoked at once, from cache, and reports the refused use', async () => {
    await start();
    const token = custos.validToken();
    const other = custos.validToken();
    await verifier.verify(token.raw);
    await verifier.verify(other.raw);
    const asked = custos.verifyCalls.length;

    custos.sendEvent('token', { kind: 'revoked', tokenId: token.tokenId, lookupId: token.lookupId, at: new Date().toISOString() });
    await until(() => verifier.metrics().evictions === 1);

    expect(await verifier.verify(token.raw)).toEqual({ valid: false, code: VerifyCode.REVOKED, tokenId: token.tokenId, cached: true });
    expect(await verifier.verify(other.raw)).toMatchObject({ valid: true, cached: true });
    expect(custos.verifyCalls.length).toBe(asked);
    await verifier.flush();
    expect(custos.usageBatches.flat().filter((use) => use.tokenId === token.tokenId)).toMatchObject([{ code: VerifyCode.REVOKED, count: 1 }]);
  });

  it('drops a token on a feed event that is not final: the next verify goes to Custos and sees the change', async () => {
    await start();
    const token = custos.validToken();
    await verifier.verify(token.raw);

    custos.answer(token.raw, VerifyCode.SUSPENDED);
    custos.sendEvent('token', { kind: 'suspended', tokenId: token.tokenId, lookupId: token.lookupId, at: new Date().toISOString() });
    await until(() => verifier.metrics().evictions === 1);

    expect(await verifier.verify(token.raw)).toMatchObject({ valid: false, code: VerifyCode.SUSPENDED, cached: false });
  });

  it('drops everything on a tenant or reset event', async () => {
    await start();
    const token = custos.validToken();
    await verifier.verify(token.raw);
    custos.sendEvent('tenant', { kind: 'policy_changed', at: new Date().toISOString() });
    await until(() => verifier.metrics().evictions === 1);
    expect((await verifier.verify(token.raw)).cached).toBe(false);

    custos.sendEvent('reset', {});
    await until(() => verifier.metrics().evictions === 2);
    expect((await verifier.verify(token.raw)).cached).toBe(false);
  });

  it('stops answering from cache when heartbeats stop: fail closed, never stale', async () => {
    await start();
    const token = custos.validToken();
    await verifier.verify(token.raw);
    expect((await verifier.verify(token.raw)).cached).toBe(true);

    // The open connection goes silent (half open, as after a network partition) and new ones are refused.
    custos.stopHeartbeats();
    custos.feedRefused = true;
    await new Promise((resolve) => setTimeout(resolve, 1100));

    expect(verifier.metrics().feed).not.toBe('connected');
    expect((await verifier.verify(token.raw)).cached).toBe(false);
    expect((await verifier.verify(token.raw)).cached).toBe(false);
    expect(custos.verifyCalls).toHaveLength(3);
  });

  it('sends every verify to Custos while the feed is refused', async () => {
    custos.feedRefused = true;
    verifier = createVerifier({ baseUrl: custos.baseUrl, serviceKey: 'svc_key', feedHeartbeatMs: 200, feedReconnectMaxMs: 50, onError: () => undefined });
    const token = custos.validToken();
    await until(() => verifier.metrics().feed === 'down');

    for (let i = 0; i < 3; i++) expect((await verifier.verify(token.raw)).cached).toBe(false);
    expect(custos.verifyCalls).toHaveLength(3);
  });

  it('reconnects after the feed drops, resumes from the last event id, and starts from an empty cache', async () => {
    await start();
    const token = custos.validToken();
    await verifier.verify(token.raw);
    custos.sendEvent('heartbeat', {});
    await new Promise((resolve) => setTimeout(resolve, 20));

    custos.dropFeeds();
    await until(() => custos.feedConnects.length === 2 && verifier.metrics().feed === 'connected');

    expect(custos.feedConnects[1]).toMatch(/^\d+$/);
    expect(verifier.cacheKeys()).toEqual([]);
    expect((await verifier.verify(token.raw)).cached).toBe(false);
    expect((await verifier.verify(token.raw)).cached).toBe(true);
  });

  it('always sends a token with shared state (no cache hint) to Custos', async () => {
    await start();
    const token = custos.validToken({ cacheable: false });
    for (let i = 0; i < 3; i++) expect(await verifier.verify(token.raw)).toMatchObject({ valid: true, cached: false });
    expect(custos.verifyCalls).toHaveLength(3);
    expect(verifier.cacheKeys()).toEqual([]);
  });

  it('reports the uses of cached answers in batches, and retries a batch Custos refused', async () => {
    await start();
    custos.usageFailures = [503];
    const token = custos.validToken();
    await verifier.verify(token.raw);
    for (let i = 0; i < 3; i++) await verifier.verify(token.raw, { ip: '203.0.113.7', resource: '/orders/1' });

    await until(() => verifier.metrics().reportsPending === 0);
    const uses = custos.usageBatches.flat();
    // Repeats of one use travel as one entry with their count.
    expect(uses[0]).toEqual({ tokenId: token.tokenId, at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), code: VerifyCode.VALID, ip: '203.0.113.7', resource: '/orders/1', count: 3 });
    expect(custos.usageFailures).toEqual([]);
    expect(errors.length).toBeGreaterThan(0);
    expect(verifier.metrics()).toMatchObject({ reportsPending: 0, reportsDropped: 0 });
  });

  it('drops a batch Custos refuses as invalid, counting it, so it does not hold back the uses behind it', async () => {
    await start();
    custos.usageFailures = [400];
    const token = custos.validToken();
    await verifier.verify(token.raw);
    await verifier.verify(token.raw);
    await until(() => verifier.metrics().reportsDropped === 1);
    await verifier.verify(token.raw);
    await until(() => verifier.metrics().reportsPending === 0);
    expect(custos.usageBatches.flat()).toHaveLength(1);
    expect(verifier.metrics().reportsDropped).toBe(1);
  });

  it('flushes pending uses on close', async () => {
    await start({ reportIntervalMs: 60_000 });
    const token = custos.validToken();
    await verifier.verify(token.raw);
    await verifier.verify(token.raw);
    expect(verifier.metrics().reportsPending).toBe(1);

    await verifier.close();
    expect(custos.usageBatches.flat()).toHaveLength(1);
  });

  it('counts repeats on one entry, and counts the uses it had to drop once the queue is full', async () => {
    await start({ reportIntervalMs: 60_000, maxPendingReports: 2 });
    custos.usageFailures = [503];
    const token = custos.validToken();
    await verifier.verify(token.raw);
    // Two entries (two addresses) fill the queue; their repeats still count, a third address is dropped.
    for (let i = 0; i < 4; i++) await verifier.verify(token.raw, { ip: `203.0.113.${i % 2}` });
    for (let i = 0; i < 2; i++) await verifier.verify(token.raw, { ip: '203.0.113.9' });
    expect(verifier.metrics()).toMatchObject({ reportsPending: 4, reportsDropped: 2 });
  });

  it('counts each way of presenting a token on its own entry, however the ways interleave', async () => {
    await start({ reportIntervalMs: 60_000 });
    const token = custos.validToken({ scopes: ['orders:read', 'orders:write'] });
    await verifier.verify(token.raw);
    const ways = {
      a: { scopes: ['orders:read'], ip: '203.0.113.7' },
      b: { scopes: ['orders:read'], ip: '203.0.113.8' },
      c: { scopes: ['orders:read', 'orders:write'], ip: '203.0.113.7' },
      d: { scopes: ['orders:read'], ip: '203.0.113.7', resource: '/orders/1' },
    };
    // New arrays each time, as a service passes them.
    for (const way of ['a', 'a', 'b', 'a', 'b', 'b', 'c', 'a', 'd', 'c'] as const) {
      await verifier.verify(token.raw, { ...ways[way], scopes: [...ways[way].scopes] });
    }
    await verifier.flush();
    const counted = custos.usageBatches.flat().map(({ ip, scopes, resource, count }) => ({ ip, scopes, resource, count }));
    expect(counted).toEqual([
      { ip: '203.0.113.7', scopes: ['orders:read'], resource: undefined, count: 4 },
      { ip: '203.0.113.8', scopes: ['orders:read'], resource: undefined, count: 3 },
      { ip: '203.0.113.7', scopes: ['orders:read', 'orders:write'], resource: undefined, count: 2 },
      { ip: '203.0.113.7', scopes: ['orders:read'], resource: '/orders/1', count: 1 },
    ]);
  });

  it('never changes an entry in flight: repeats during a send start a new one', async () => {
    await start({ reportIntervalMs: 60_000 });
    const token = custos.validToken();
    await verifier.verify(token.raw);
    await verifier.verify(token.raw);
    const sending = verifier.flush();
    await verifier.verify(token.raw);
    await sending;
    await verifier.flush();
    expect(custos.usageBatches.map((batch) => batch.map((use) => use.count))).toEqual([[1], [1]]);
  });

  it('shares one request among concurrent first verifies of a token', async () => {
    await start();
    custos.verifyDelayMs = 100;
    const token = custos.validToken({ scopes: ['orders:read'] });

    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => verifier.verify(token.raw, { scopes: i % 2 ? ['orders:write'] : ['orders:read'] })));

    expect(custos.verifyCalls).toHaveLength(1);
    expect(results.filter((r) => !r.cached)).toHaveLength(1);
    // The answer was VALID with a cache hint: the waiters are decided with their own scopes, not handed the first caller's verdict.
    expect(results.map((r) => r.code)).toEqual(Array.from({ length: 10 }, (_, i) => (i % 2 ? VerifyCode.INSUFFICIENT_SCOPE : VerifyCode.VALID)));
  });

  it('does not share one request for a token with shared state: each use is Custos to count', async () => {
    await start();
    custos.verifyDelayMs = 50;
    const token = custos.validToken({ cacheable: false });
    await Promise.all(Array.from({ length: 4 }, () => verifier.verify(token.raw)));
    expect(custos.verifyCalls).toHaveLength(4);
  });

  it('does not cache an answer that a feed event overtook while it was in flight', async () => {
    await start();
    custos.verifyDelayMs = 150;
    const token = custos.validToken();
    const pending = verifier.verify(token.raw);
    await until(() => custos.verifyCalls.length === 1);
    custos.sendEvent('token', { kind: 'revoked', tokenId: token.tokenId, lookupId: token.lookupId, at: new Date().toISOString() });
    await pending;

    expect(verifier.cacheKeys()).toEqual([]);
  });
});
