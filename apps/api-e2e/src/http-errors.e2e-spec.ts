import { ApiClient, signupTenant, type TestTenant } from '@custos/testing';

/** Every error, wherever it is raised, answers RFC 9457 problem+json with the request's id. */
describe('errors as problem+json', () => {
  const api = ApiClient.fromEnv();
  let tenant: TestTenant;

  beforeAll(async () => {
    tenant = await signupTenant(api);
  });

  const expectProblem = (res: { status: number; headers: Headers; body: unknown }, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
    expect((res.body as { requestId: string }).requestId).toBe(res.headers.get('x-request-id'));
  };

  // /v1/tokens goes through Nest; /v1/verify is served by the hot path's bare Fastify instance.
  describe.each(['/v1/tokens', '/v1/verify'])('POST %s', (path) => {
    it('answers malformed JSON with 400', async () => {
      expectProblem(await tenant.owner.request('POST', path, '{"name": '), 400, 'VALIDATION_FAILED');
    });

    it('answers a body over the limit with 413', async () => {
      const res = await tenant.owner.request('POST', path, JSON.stringify({ name: 'x'.repeat(300 * 1024) }));
      expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('answers a form body with 400, as the JSON body it is not', async () => {
      const res = await tenant.owner.request('POST', path, 'token=abc', { 'content-type': 'application/x-www-form-urlencoded' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
    });

    it('keeps a well-formed caller request id', async () => {
      const res = await tenant.owner.request('POST', `${path}?trace=1`, '{', { 'x-request-id': 'trace-456' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.headers.get('x-request-id')).toBe('trace-456');
    });
  });

  it('answers an unknown route with 404', async () => {
    expectProblem(await tenant.owner.get('/v1/no-such-thing'), 404, 'NOT_FOUND');
  });

  it('answers a path parameter longer than the router takes with 400 naming the url, and one just within it as any unknown id', async () => {
    // A POST: a GET the router cannot match falls through to the dashboard's catch-all (a plain 404).
    const tooLong = await tenant.owner.post(`/v1/webhooks/whk_${'x'.repeat(253)}/test`);
    expectProblem(tooLong, 400, 'VALIDATION_FAILED');
    expect((tooLong.body as { errors: unknown[] }).errors).toEqual([{ field: 'url', message: 'has a path parameter longer than 256 characters' }]);
    expectProblem(await tenant.owner.post(`/v1/webhooks/whk_${'x'.repeat(252)}/test`), 404, 'NOT_FOUND');
  });

  it('refuses unknown fields and names each bad field', async () => {
    const res = await tenant.owner.post('/v1/tokens', { name: '', scopes: ['Bad Scope'], expiresInSeconds: -1, colour: 'red' });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    const fields = (res.body as { errors: Array<{ field: string }> }).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'scopes', 'expiresInSeconds', 'colour']));
  });

  it('keeps a well-formed caller request id, and replaces a hostile one', async () => {
    const kept = await tenant.owner.request('GET', '/v1/no-such-thing', undefined, { 'x-request-id': 'trace-123' });
    expect(kept.headers.get('x-request-id')).toBe('trace-123');
    const replaced = await tenant.owner.request('GET', '/v1/no-such-thing', undefined, { 'x-request-id': 'a b<script>' });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('hides internals: responses carry security headers and no stack traces', async () => {
    const res = await api.get('/health/live');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });
});
