import { randomBytes, randomUUID } from 'node:crypto';
import { TokenHasher } from '@custos/crypto';
import { createRedis, closeRedis } from '@custos/runtime';
import { startTestRedis, type TestRedisServer } from '@custos/testing';
import type { Redis } from 'ioredis';
import type { LoginAttempt, ThrottleVerdict } from '@custos/application';
import { FAMILIAR_SECONDS_IN_PROCESS, LimiterLoginThrottle, type LoginThrottleSettings } from './login-throttle';
import { inProcessLimiter, type LimiterFactory } from '@custos/application';
import { redisLimiter } from '@custos/runtime';

const onRedis = (client: Redis): LimiterFactory => (options) => redisLimiter(client, options);

/**
 * The log-in throttle against a real Redis: the limits the HTTP tests do not reach (per account over
 * all addresses, per address over all accounts, the lock-out cap) and what happens while Redis is away.
 */
describe('LimiterLoginThrottle', () => {
  let server: TestRedisServer;
  let redis: Redis;
  const hasher = new TokenHasher({ id: 't', secret: randomBytes(32).toString('hex') });
  const settings = (overrides: Partial<LoginThrottleSettings> = {}): LoginThrottleSettings => ({
    keyPrefix: `{test-${randomUUID()}}`,
    maxFailures: 5,
    lockoutSeconds: 60,
    accountFailuresPerHour: 50,
    addressFailuresPerDay: 100,
    ...overrides,
  });

  beforeAll(async () => {
    server = await startTestRedis();
    redis = await connected(createRedis(server.url, 'login-throttle-test'));
  });

  afterAll(async () => {
    await closeRedis(redis);
    await server.stop();
  });

  /** The throttle's client fails fast while not connected: without this the first calls would go to the in-memory stand-in. */
  async function connected(client: Redis): Promise<Redis> {
    if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
    return client;
  }

  /** One attempt that turns out wrong; returns the lock-out it started, if any, or the refusal. */
  async function wrong(throttle: LimiterLoginThrottle, attempt: LoginAttempt) {
    const verdict = await throttle.attempt(attempt);
    if (!verdict.allowed) return { refused: verdict.retryAfterMs };
    return { lockout: await throttle.failed(attempt, verdict) };
  }

  it('refuses an account to unfamiliar addresses once it has had too many failures from all of them, not to one it signed in from', async () => {
    const throttle = new LimiterLoginThrottle(onRedis(redis), hasher, settings({ accountFailuresPerHour: 6 }));
    const email = `${randomUUID()}@example.test`;
    const familiar = { email, ip: '192.0.2.1' };
    expect((await throttle.attempt(familiar)).allowed).toBe(true);
    await throttle.succeeded(familiar);

    const outcomes = [];
    for (let i = 0; i < 6; i++) outcomes.push(await wrong(throttle, { email, ip: `198.51.100.${i}` }));
    expect(outcomes.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => ({ lockout: null })));
    expect(outcomes[5]).toEqual({ lockout: { scope: 'account', untilMs: expect.any(Number) } });

    const stranger = await throttle.attempt({ email, ip: '203.0.113.7' });
    expect(stranger).toEqual({ allowed: false, retryAfterMs: expect.any(Number) });
    expect((stranger as Extract<ThrottleVerdict, { allowed: false }>).retryAfterMs).toBeGreaterThan(3_500_000);
    expect(await throttle.attempt(familiar)).toEqual({ allowed: true, lastBeforeLockout: false });
    // Spelling the e-mail differently counts as the same account.
    expect((await throttle.attempt({ email: ` ${email.toUpperCase()} `, ip: '203.0.113.8' })).allowed).toBe(false);
  });

  it('refuses an address that failed too often across accounts, and no other', async () => {
    const throttle = new LimiterLoginThrottle(onRedis(redis), hasher, settings({ addressFailuresPerDay: 3 }));
    const ip = '198.51.100.200';
    for (let i = 0; i < 3; i++) await wrong(throttle, { email: `${randomUUID()}@example.test`, ip });
    expect((await throttle.attempt({ email: `${randomUUID()}@example.test`, ip })).allowed).toBe(false);
    expect((await throttle.attempt({ email: `${randomUUID()}@example.test`, ip: '198.51.100.201' })).allowed).toBe(true);
  });

  it('doubles each lock-out of the same account and address, up to an hour', async () => {
    const options = settings({ maxFailures: 1, lockoutSeconds: 1000 });
    const throttle = new LimiterLoginThrottle(onRedis(redis), hasher, options);
    const attempt = { email: `${randomUUID()}@example.test`, ip: '198.51.100.77' };
    const lengths: number[] = [];
    for (let i = 0; i < 4; i++) {
      const { lockout } = await wrong(throttle, attempt);
      lengths.push(Math.round((lockout!.untilMs - Date.now()) / 1000));
      // Lift the lock-out without forgetting how many there were (as its end would).
      await redis.del(`${options.keyPrefix}:pair:${hasher.derive('login-pair', `${attempt.email}\n${attempt.ip}`)}`);
    }
    expect(lengths).toEqual([1000, 2000, 3600, 3600]);
  });

  it('keeps throttling on each instance while Redis is away', async () => {
    const own = await startTestRedis();
    const client = await connected(createRedis(own.url, 'login-throttle-outage'));
    try {
      const throttle = new LimiterLoginThrottle(onRedis(client), hasher, settings({ maxFailures: 2 }));
      await own.stop();
      const attempt = { email: `${randomUUID()}@example.test`, ip: '198.51.100.9' };
      expect((await wrong(throttle, attempt)).lockout).toBeNull();
      expect((await wrong(throttle, attempt)).lockout).toMatchObject({ scope: 'account_address' });
      expect((await throttle.attempt(attempt)).allowed).toBe(false);
    } finally {
      await closeRedis(client);
      await own.stop();
    }
  });

  it('counts in this process when there is no Redis (queues on Postgres): lock-outs and familiar addresses alike', async () => {
    const throttle = new LimiterLoginThrottle(inProcessLimiter, hasher, settings({ maxFailures: 2, accountFailuresPerHour: 4 }), FAMILIAR_SECONDS_IN_PROCESS);
    const email = `${randomUUID()}@example.test`;
    const familiar = { email, ip: '192.0.2.50' };
    expect((await throttle.attempt(familiar)).allowed).toBe(true);
    await throttle.succeeded(familiar);
    const pair = { email, ip: '198.51.100.50' };
    expect((await wrong(throttle, pair)).lockout).toBeNull();
    expect((await wrong(throttle, pair)).lockout).toMatchObject({ scope: 'account_address' });
    expect((await throttle.attempt(pair)).allowed).toBe(false);
    await wrong(throttle, { email, ip: '198.51.100.51' });
    await wrong(throttle, { email, ip: '198.51.100.52' });
    expect((await throttle.attempt({ email, ip: '203.0.113.50' })).allowed).toBe(false);
    expect((await throttle.attempt(familiar)).allowed).toBe(true);
  });
});
