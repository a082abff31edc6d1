import { generateToken } from '@custos/domain';
import {
  ApiClient,
  PASSWORD,
  asOwner,
  issueToken,
  serviceKey,
  sessionCookieOf,
  signupTenant,
  tenantFootprint,
  uniqueEmail,
  type ApiResponse,
  type TestTenant,
} from '@custos/testing';
import { expectProblem } from './support/security-cases';

/**
 * Issue 12, findings 5, 9 and 10: crafted input that answered 500 without authentication, secrets
 * pasted into text that is stored for good, and the edges of the HTTP stack (a malformed URL, the
 * verify route's headers). Each case answers a 4xx problem+json naming the field and writes nothing.
 * The same text rules run on every route in route-security.e2e-spec.ts.
 */
describe('hostile input at the HTTP edge', () => {
  const api = ApiClient.fromEnv();
  let tenant: TestTenant;
  let key: ApiClient;
  let tokenId: string;

  beforeAll(async () => {
    tenant = await signupTenant(api, 'Hostile input');
    key = (await serviceKey(tenant)).client;
    tokenId = (await issueToken(key, { name: 'target' })).token.id;
  });

  const fieldsOf = (res: ApiResponse<unknown>): string[] =>
    ((res.body as { errors?: Array<{ field: string }> }).errors ?? []).map((e) => e.field);

  /** Runs `act` and proves that tenant A's rows, audit trail and target token are as before. */
  async function expectNothingWritten(act: () => Promise<void>): Promise<void> {
    const before = { footprint: await tenantFootprint(tenant.tenantId), token: (await key.get(`/v1/tokens/${tokenId}`)).body };
    await act();
    expect({ footprint: await tenantFootprint(tenant.tenantId), token: (await key.get(`/v1/tokens/${tokenId}`)).body }).toEqual(before);
  }

  async function expectRefused(res: Promise<ApiResponse<unknown>>, code: string, field: string): Promise<void> {
    await expectNothingWritten(async () => {
      const answer = await res;
      expectProblem(answer, 400, code);
      expect(fieldsOf(answer)).toContain(field);
    });
  }

  describe('JSON nested 40,000 deep', () => {
    const deep = (field: string): string => `{"${field}":${'['.repeat(40_000)}${']'.repeat(40_000)}}`;

    it.each<[string, string, string, (c: { key: ApiClient; anonymous: ApiClient; tokenId: string }) => ApiClient]>([
      ['POST', '/v1/signup', 'organization', (c) => c.anonymous],
      ['POST', '/v1/tokens', 'name', (c) => c.key],
      ['PATCH', '/v1/tokens/:id', 'metadata', (c) => c.key],
      ['POST', '/v1/tokens/revoke', 'ids', (c) => c.key],
      ['POST', '/v1/services', 'name', (c) => c.key],
      ['POST', '/v1/verify', 'token', (c) => c.key],
    ])('%s %s answers 400 naming the body, before anything reads it', async (method, path, field, client) => {
      const caller = client({ key, anonymous: api.anonymous(), tokenId });
      await expectRefused(caller.request(method, path.replace(':id', tokenId), deep(field)), 'VALIDATION_FAILED', 'body');
    });

    it('still takes metadata nested as deep as a real client would send', async () => {
      let metadata: Record<string, unknown> = { leaf: 'x' };
      for (let i = 0; i < 25; i++) metadata = { next: metadata };
      const res = await key.post('/v1/tokens', { name: 'deep but fine', scopes: [], expiresInSeconds: 600, metadata });
      expect(res.status).toBe(201);
    });
  });

  describe('control characters and ill-formed Unicode', () => {
    it.each<[string, string, (id: string) => [string, string, unknown], string]>([
      ['a NUL in a token name', 'POST', () => ['POST', '/v1/tokens', { name: 'a\u0000b', scopes: [], expiresInSeconds: 600 }], 'name'],
      ['a NUL in a renamed token', 'PATCH', (id) => ['PATCH', `/v1/tokens/${id}`, { name: 'x\u0000' }], 'name'],
      ['a NUL in a metadata value', 'PATCH', (id) => ['PATCH', `/v1/tokens/${id}`, { metadata: { a: { b: ['ok', 'x\u0000'] } } }], 'metadata.a.b.1'],
      ['a NUL in a metadata key', 'PATCH', (id) => ['PATCH', `/v1/tokens/${id}`, { metadata: { a: { 'k\u0000': 1 } } }], 'metadata.a'],
      ['a lone surrogate in a metadata value', 'PATCH', (id) => ['PATCH', `/v1/tokens/${id}`, { metadata: { a: '\ud800' } }], 'metadata.a'],
      ['a lone surrogate in a token name', 'POST', () => ['POST', '/v1/tokens', { name: 'x\udc00', scopes: [], expiresInSeconds: 600 }], 'name'],
      ['a NUL in a revoke reason', 'POST', (id) => ['POST', `/v1/tokens/${id}/revoke`, { reason: 'leaked\u0000' }], 'reason'],
      ['a NUL in a bulk revoke reason', 'POST', (id) => ['POST', '/v1/tokens/revoke', { ids: [id], reason: '\u0000' }], 'reason'],
      ['a NUL in a service name', 'POST', () => ['POST', '/v1/services', { name: 'svc\u0000' }], 'name'],
      ['a newline in a service name', 'POST', () => ['POST', '/v1/services', { name: 'svc\nname' }], 'name'],
      ['a bell in a service description', 'POST', () => ['POST', '/v1/services', { name: 'svc-bell', description: 'ding\u0007' }], 'description'],
      ['a C1 control in a scope', 'POST', () => ['POST', '/v1/tokens', { name: 'c1', scopes: ['orders:\u0085read'], expiresInSeconds: 600 }], 'scopes.0'],
      ['a newline in a revoke reason', 'POST', (id) => ['POST', `/v1/tokens/${id}/revoke`, { reason: 'line one\nline two' }], 'reason'],
    ])('%s answers 400 naming the field', async (_what, _method, request, field) => {
      const [method, path, body] = request(tokenId);
      await expectRefused(key.request(method, path, body), 'VALIDATION_FAILED', field);
    });

    it('refuses a NUL in a signup, without authentication', async () => {
      const email = uniqueEmail('nul-signup');
      const res = await api.anonymous().post('/v1/signup', { organization: 'Nul\u0000 Org', email, password: PASSWORD });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toEqual(['organization']);
      const found = await asOwner((db) => db.query(`SELECT 1 FROM users WHERE lower(email) = lower($1)`, [email]));
      expect(found.rowCount).toBe(0);
    });

    it.each([
      ['a NUL in a query parameter', '/v1/tokens?q=%00', 'q'],
      ['a NUL in a path parameter', '/v1/tokens/%00', 'id'],
      ['a NUL in a path parameter of another route', '/v1/services/svc%00x', 'id'],
      ['an escape character in an inventory search', '/v1/inventory?q=%1B%5B31m', 'q'],
    ])('%s never reaches Postgres: 400 naming it', async (_what, path, field) => {
      const res = await key.get(path);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toEqual([field]);
    });

    it('keeps tab and line breaks where multi-line text belongs', async () => {
      const service = await key.post('/v1/services', { name: `multi-line-${Date.now()}`, description: 'line one\n\tline two\r\n' });
      expect(service.status).toBe(201);
      const patched = await key.patch(`/v1/tokens/${tokenId}`, { metadata: { notes: 'first\nsecond' } });
      expect(patched.status).toBe(200);
    });
  });

  // Found by request-fuzz.e2e-spec.ts: @IsOptional() let null through to the database's NOT NULL.
  describe('null for a field that can be left out but not cleared', () => {
    it.each([
      ['a token name', (id: string) => `/v1/tokens/${id}`, { name: null }, 'name'],
      ['allowed CIDRs', (id: string) => `/v1/tokens/${id}`, { allowedCidrs: null }, 'allowedCidrs'],
      ['token metadata', (id: string) => `/v1/tokens/${id}`, { metadata: null }, 'metadata'],
    ])('PATCH with null %s answers 400 naming it', async (_what, path, body, field) => {
      await expectRefused(key.patch(path(tokenId), body), 'VALIDATION_FAILED', field);
    });

    it('PATCH /v1/services/:id with a null name answers 400 naming it', async () => {
      const service = await key.post<{ id: string }>('/v1/services', { name: `null-name-${Date.now()}` });
      const res = await key.patch(`/v1/services/${service.body.id}`, { name: null });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(new Set(fieldsOf(res))).toEqual(new Set(['name']));
    });
  });

  describe('secrets in text (SECRET_IN_TEXT)', () => {
    const token = generateToken('live').raw;
    const session = `cus_session_${'A'.repeat(43)}`;

    it.each<[string, (id: string) => [string, string, unknown], string]>([
      ['a token as a token name', () => ['POST', '/v1/tokens', { name: token, scopes: [], expiresInSeconds: 600 }], 'name'],
      ['a token glued into a name', (id) => ['PATCH', `/v1/tokens/${id}`, { name: `key=${token}_old` }], 'name'],
      ['a token in a revoke reason', (id) => ['POST', `/v1/tokens/${id}/revoke`, { reason: `leaked: ${token}` }], 'reason'],
      ['a session token in a suspend reason', (id) => ['POST', `/v1/tokens/${id}/suspend`, { reason: `cookie ${session}` }], 'reason'],
      ['a token in a bulk revoke reason', (id) => ['POST', '/v1/tokens/revoke', { ids: [id], reason: token }], 'reason'],
      ['a token deep in metadata', (id) => ['PATCH', `/v1/tokens/${id}`, { metadata: { ci: { logs: [`export KEY=${token}`] } } }], 'metadata.ci.logs.0'],
      ['a token as a metadata key', (id) => ['PATCH', `/v1/tokens/${id}`, { metadata: { [token]: true } }], 'metadata'],
      ['a token in a service description', () => ['POST', '/v1/services', { name: 'svc-secret', description: `uses\n${token}` }], 'description'],
      ['a token in a webhook description', () => ['POST', '/v1/webhooks', { url: 'https://hooks.example.com/x', events: ['token.revoked'], description: token }], 'description'],
      ['a token in a consent source', () => ['POST', '/v1/consents', consentWithSource(token)], 'source'],
      ['a token in a user e-mail', () => ['POST', '/v1/users', { email: `${token}@example.test`, password: PASSWORD, role: 'viewer' }], 'email'],
    ])('%s answers 400 SECRET_IN_TEXT naming the field, and nothing is written', async (_what, request, field) => {
      const [method, path, body] = request(tokenId);
      await expectRefused(key.request(method, path, body), 'SECRET_IN_TEXT', field);
    });

    it.each([
      ['a token as the search', `/v1/tokens?q=${token}`],
      ['a token glued to more search text', `/v1/tokens?q=${token}_x`],
      ['a token in an inventory search', `/v1/inventory?q=${token}`],
    ])('%s is searched (by its lookup id, never kept) and not echoed back', async (_what, path) => {
      const res = await key.get(path);
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain(token);
    });

    it('leaves the fields alone whose point is a secret: the token to verify and a password', async () => {
      const verified = await key.post('/v1/verify', { token });
      expect(verified).toMatchObject({ status: 200, body: { valid: false, code: 'NOT_FOUND' } });
      const malformed = await key.post('/v1/verify', { token: `\u0000${token}` });
      expect(malformed).toMatchObject({ status: 200, body: { valid: false, code: 'MALFORMED' } });
      const signup = await api.anonymous().post('/v1/signup', { organization: 'Secret password', email: uniqueEmail('pw'), password: `pw ${token}` });
      expect(signup.status).toBe(201);
    });

    it('applies to the verify route too, outside the token field', async () => {
      const res = await key.post('/v1/verify', { token, context: { resource: `/orders?key=${token}` } });
      expectProblem(res, 400, 'SECRET_IN_TEXT');
      expect(fieldsOf(res)).toEqual(['context.resource']);
    });
  });

  describe('the rest of the edge', () => {
    it.each(['/v1/tokens/%E0%A4%A', '/v1/verify%E0%A4%A'])('answers the malformed URL %s with problem+json', async (path) => {
      const res = await key.get(path);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toEqual(['url']);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    });

    const securityHeaders = (res: ApiResponse<unknown>): Record<string, string | null> =>
      Object.fromEntries(
        ['content-security-policy', 'strict-transport-security', 'x-content-type-options', 'x-frame-options', 'referrer-policy',
          'cross-origin-opener-policy', 'cross-origin-resource-policy', 'x-dns-prefetch-control', 'x-permitted-cross-domain-policies']
          .map((name) => [name, res.headers.get(name)]),
      );

    it('gives /v1/verify answers, refusals included, the security headers of every other route', async () => {
      const reference = securityHeaders(await api.get('/health/live'));
      expect(reference['content-security-policy']).toContain("default-src 'self'");
      const { secret } = await issueToken(key, { scopes: ['orders:read'] });
      for (const res of [
        await key.post('/v1/verify', { token: secret }),
        await key.post('/v1/verify', { token: secret, colour: 'red' }),
        await api.anonymous().post('/v1/verify', { token: secret }),
        await key.request('POST', '/v1/verify', '{"token": '),
      ]) {
        expect(securityHeaders(res)).toEqual(reference);
      }
    });

    it('clears the session cookie on log-out with the attributes it was set with', async () => {
      const login = await api.anonymous().post<{ csrfToken: string }>('/v1/auth/login', { email: tenant.email, password: tenant.password });
      const session = api.withAuth({ cookie: sessionCookieOf(login.headers), csrfToken: login.body.csrfToken });
      const res = await session.post('/v1/auth/logout', {});
      expect(res.status).toBe(204);
      const cleared = res.headers.getSetCookie().find((c) => c.startsWith('custos_session='));
      expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
      expect(cleared).toMatch(/; HttpOnly/);
      expect(cleared).toMatch(/; SameSite=Strict/);
      expect(cleared).toMatch(/; Path=\//);
    });
  });
});

function consentWithSource(source: string): Record<string, unknown> {
  const now = Date.now();
  return {
    subjectRef: `subj-${now}`,
    purpose: 'order-fulfilment',
    dataCategories: ['personal'],
    lawfulBasis: 'consent',
    jurisdiction: 'EU',
    validFrom: new Date(now).toISOString(),
    validUntil: new Date(now + 86_400_000).toISOString(),
    source,
  };
}
