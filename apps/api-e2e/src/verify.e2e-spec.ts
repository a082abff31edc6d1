import { crc32 } from 'node:zlib';
import { CHECKSUM_LENGTH, SECRET_LENGTH, encodeBase62Fixed, generateToken, parseToken, randomBase62 } from '@custos/domain';
import {
  ApiClient,
  asOwner,
  issueToken,
  pollUntil,
  serviceKey,
  signupTenant,
  startApi,
  verifyToken,
  type IssuedBody,
  type RunningApi,
  type TestTenant,
  type TokenBody,
} from '@custos/testing';

/**
 * POST /v1/verify answers every code a service relies on, in the documented order, and records usage
 * in batches without losing any on a graceful shutdown.
 */
describe('verify over HTTP', () => {
  const api = ApiClient.fromEnv();
  let tenant: TestTenant;
  /** A service key holding only custos:tokens:verify, as a resource server would. */
  let verifier: ApiClient;
  let verifierSecret: string;

  beforeAll(async () => {
    tenant = await signupTenant(api, 'Verify');
    const key = await serviceKey(tenant, ['custos:tokens:verify']);
    verifier = key.client;
    verifierSecret = key.issued.secret;
  });

  const issue = (overrides: Record<string, unknown> = {}) => issueToken(tenant.owner, overrides);
  const verify = (token: string, options: Parameters<typeof verifyToken>[2] = {}) => verifyToken(verifier, token, options);

  /** The same lookup id with another secret and a correct checksum: well-formed, but not the token. */
  function withOtherSecret(raw: string): string {
    const parsed = parseToken(raw)!;
    const payload = `cus_${parsed.environment}_${parsed.lookupId}${randomBase62(SECRET_LENGTH)}`;
    return payload + encodeBase62Fixed(crc32(payload), CHECKSUM_LENGTH);
  }

  it('answers VALID with what the caller needs to know of the token', async () => {
    const { token, secret } = await issue({ scopes: ['orders:read', 'orders:write'] });
    expect(await verify(secret, { scopes: ['orders:read'] })).toEqual({
      valid: true,
      code: 'VALID',
      tokenId: token.id,
      ownerServiceId: null,
      scopes: ['orders:read', 'orders:write'],
      expiresAt: token.expiresAt,
      remainingUses: null,
    });
  });

  it('answers MALFORMED for garbage and for a wrong checksum, revealing nothing', async () => {
    const { secret } = await issue();
    const flipped = secret.slice(0, -1) + (secret.endsWith('a') ? 'b' : 'a');
    for (const token of ['garbage', '', `ghp_${'a'.repeat(36)}`, flipped, `${secret}0`]) {
      expect(await verify(token)).toEqual({ valid: false, code: 'MALFORMED' });
    }
  });

  it('answers NOT_FOUND for a well-formed unknown token and for a known lookup id with the wrong secret', async () => {
    expect(await verify(generateToken('live').raw)).toEqual({ valid: false, code: 'NOT_FOUND' });
    const { secret } = await issue();
    expect((await verify(secret)).code).toBe('VALID');
    const forged = withOtherSecret(secret);
    expect(parseToken(forged)).toEqual({ environment: 'live', lookupId: parseToken(secret)!.lookupId, raw: forged });
    expect(await verify(forged)).toEqual({ valid: false, code: 'NOT_FOUND' });
  });

  it('answers EXPIRED once the expiry has passed, even before any sweep', async () => {
    const { token, secret } = await issue({ expiresInSeconds: 1 });
    const last = await pollUntil(() => verify(secret), (r) => r.code !== 'VALID', { timeoutMs: 5000 });
    expect(last).toMatchObject({ valid: false, code: 'EXPIRED', tokenId: token.id });
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(token.expiresAt));
  });

  it('answers NOT_YET_VALID before notBefore', async () => {
    const { secret } = await issue({ notBefore: new Date(Date.now() + 3600_000).toISOString(), expiresInSeconds: 7200 });
    expect(await verify(secret)).toMatchObject({ valid: false, code: 'NOT_YET_VALID' });
  });

  it('answers REVOKED and SUSPENDED, dropping what the cache held', async () => {
    const revoked = await issue();
    const suspended = await issue();
    expect((await verify(revoked.secret)).code).toBe('VALID');
    expect((await verify(suspended.secret)).code).toBe('VALID');
    expect((await tenant.owner.post(`/v1/tokens/${revoked.token.id}/revoke`, { reason: 'test' })).status).toBe(200);
    expect((await tenant.owner.post(`/v1/tokens/${suspended.token.id}/suspend`, {})).status).toBe(200);
    expect(await verify(revoked.secret)).toMatchObject({ valid: false, code: 'REVOKED' });
    expect(await verify(suspended.secret)).toMatchObject({ valid: false, code: 'SUSPENDED' });
  });

  it('answers INSUFFICIENT_SCOPE unless the token holds every required scope', async () => {
    const { secret } = await issue({ scopes: ['orders:read'] });
    expect(await verify(secret, { scopes: ['orders:read', 'orders:write'] })).toMatchObject({ valid: false, code: 'INSUFFICIENT_SCOPE' });
    expect((await verify(secret, { scopes: ['orders:read'] })).code).toBe('VALID');
    expect((await verify(secret)).code).toBe('VALID');
  });

  it('answers IP_BLOCKED outside the allowed CIDRs and when no ip is given; VALID inside', async () => {
    const { secret } = await issue({ allowedCidrs: ['10.0.0.0/8', '2001:db8::/32'] });
    expect(await verify(secret, { context: { ip: '192.168.1.10' } })).toMatchObject({ valid: false, code: 'IP_BLOCKED' });
    expect(await verify(secret)).toMatchObject({ valid: false, code: 'IP_BLOCKED' });
    expect((await verify(secret, { context: { ip: '10.20.30.40' } })).code).toBe('VALID');
    expect((await verify(secret, { context: { ip: '2001:db8::1' } })).code).toBe('VALID');
    expect((await verify(secret, { context: { ip: '2001:db9::1' } })).code).toBe('IP_BLOCKED');
  });

  it('answers VALID maxUses times, counting down, then USAGE_EXCEEDED', async () => {
    const { secret } = await issue({ maxUses: 2 });
    expect(await verify(secret)).toMatchObject({ valid: true, code: 'VALID', remainingUses: 1 });
    expect(await verify(secret)).toMatchObject({ valid: true, code: 'VALID', remainingUses: 0 });
    expect(await verify(secret)).toMatchObject({ valid: false, code: 'USAGE_EXCEEDED', remainingUses: 0 });
  });

  it('answers the first failing check in the documented order, and only a VALID answer uses up a use', async () => {
    const early = await issue({ allowedCidrs: ['10.0.0.0/8'], notBefore: new Date(Date.now() + 3600_000).toISOString(), expiresInSeconds: 7200 });
    expect((await verify(early.secret, { scopes: ['billing:read'], context: { ip: '192.168.0.1' } })).code).toBe('NOT_YET_VALID');

    const { token, secret } = await issue({ scopes: ['orders:read'], allowedCidrs: ['10.0.0.0/8'], maxUses: 1 });
    expect((await verify(secret, { scopes: ['orders:write'], context: { ip: '192.168.0.1' } })).code).toBe('IP_BLOCKED');
    expect((await verify(secret, { scopes: ['orders:write'], context: { ip: '10.0.0.1' } })).code).toBe('INSUFFICIENT_SCOPE');
    expect(await verify(secret, { context: { ip: '10.0.0.1' } })).toMatchObject({ code: 'VALID', remainingUses: 0 });
    expect((await verify(secret, { scopes: ['orders:write'], context: { ip: '10.0.0.1' } })).code).toBe('INSUFFICIENT_SCOPE');
    expect((await verify(secret, { context: { ip: '10.0.0.1' } })).code).toBe('USAGE_EXCEEDED');
    expect((await tenant.owner.post(`/v1/tokens/${token.id}/suspend`, {})).status).toBe(200);
    expect((await verify(secret, { context: { ip: '192.168.0.1' } })).code).toBe('SUSPENDED');
    expect((await tenant.owner.post(`/v1/tokens/${token.id}/revoke`, { reason: 'order test' })).status).toBe(200);
    expect((await verify(secret, { context: { ip: '192.168.0.1' } })).code).toBe('REVOKED');
  });

  it('records use count, last use and the truncated client network shortly after verifies', async () => {
    const { token, secret } = await issue();
    const started = Date.now();
    for (let i = 0; i < 3; i++) expect((await verify(secret, { context: { ip: '203.0.113.7' } })).code).toBe('VALID');
    const finished = Date.now();
    const read = async () => (await tenant.owner.get<TokenBody>(`/v1/tokens/${token.id}`)).body;
    const seen = await pollUntil(read, (t) => t.useCount === 3, { timeoutMs: 5000, intervalMs: 100 });
    const lastUsedAt = Date.parse(seen.lastUsedAt as string);
    expect(lastUsedAt).toBeGreaterThanOrEqual(started);
    expect(lastUsedAt).toBeLessThanOrEqual(finished);
    expect(seen.lastUsedIp).toBe('203.0.113.0/24');
  });

  it('consumes uses atomically: of 10 verifies at once, exactly maxUses are VALID', async () => {
    const { secret } = await issue({ maxUses: 3 });
    const answers = await Promise.all(Array.from({ length: 10 }, () => verify(secret)));
    expect(answers.filter((a) => a.code === 'VALID')).toHaveLength(3);
    expect(answers.filter((a) => a.code === 'USAGE_EXCEEDED')).toHaveLength(7);
  });

  describe('with a second api instance', () => {
    let second: RunningApi;
    let secondVerifier: ApiClient;

    beforeAll(async () => {
      // A ten-minute flush interval: usage stays in memory until the process stops.
      second = await startApi({ CUSTOS_USAGE_FLUSH_INTERVAL_MS: '600000' });
      secondVerifier = new ApiClient(second.url, { bearer: verifierSecret });
    }, 60_000);

    afterAll(async () => {
      await second.stop('SIGKILL');
    });

    it("drops a revoked token from the other instance's cache", async () => {
      const { token, secret } = await issue();
      expect((await verifyToken(secondVerifier, secret)).code).toBe('VALID');
      expect((await tenant.owner.post(`/v1/tokens/${token.id}/revoke`, { reason: 'cache test' })).status).toBe(200);
      const last = await pollUntil(() => verifyToken(secondVerifier, secret), (r) => r.code !== 'VALID', { timeoutMs: 3000 });
      expect(last.code).toBe('REVOKED');
    });

    it('loses no recorded use on a graceful shutdown, however long the flush interval', async () => {
      const useCountInDb = (id: string) =>
        asOwner(async (db) => Number((await db.query<{ n: string }>(`SELECT use_count AS n FROM tokens WHERE id = $1`, [id])).rows[0]!.n));
      const issued: IssuedBody = await issue();
      const N = 7;
      for (let i = 0; i < N; i++) expect((await verifyToken(secondVerifier, issued.secret)).code).toBe('VALID');
      expect(await useCountInDb(issued.token.id)).toBe(0);
      await second.stop('SIGTERM');
      expect(await useCountInDb(issued.token.id)).toBe(N);
    }, 60_000);
  });
});
