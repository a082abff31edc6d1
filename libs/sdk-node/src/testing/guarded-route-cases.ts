import { VerifyCode } from '@custos/contracts';
import type { ScriptedCustos } from './scripted-custos';

/**
 * The cases every middleware must pass on a route guarded with scope `orders:read` at `${baseUrl}/orders`
 * whose handler answers `{ custos: request.custos }`.
 */
export function describeGuardedRoute(setup: () => { custos: ScriptedCustos; routeUrl: string }): void {
  async function call(authorization?: string, query = ''): Promise<{ status: number; type: string | null; retryAfter: string | null; body: Record<string, unknown> }> {
    const response = await fetch(setup().routeUrl + query, { headers: authorization ? { authorization } : {} });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as Record<string, unknown>,
    };
  }

  it('lets a token holding the scope through, with the verify result on the request', async () => {
    const token = setup().custos.validToken({ scopes: ['orders:read'] });
    const answer = await call(`Bearer ${token.raw}`, '?page=2');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ custos: expect.objectContaining({ valid: true, code: VerifyCode.VALID, tokenId: token.tokenId }) });
    expect(setup().custos.verifyCalls.at(-1)).toMatchObject({ scopes: ['orders:read'], context: { ip: expect.any(String), resource: '/orders' } });
  });

  it('answers 401 problem+json without a bearer token', async () => {
    const answer = await call();
    expect(answer.status).toBe(401);
    expect(answer.type).toMatch(/^application\/problem\+json/);
    expect(answer.body).toEqual({ type: expect.stringMatching(/unauthenticated$/), title: expect.any(String), status: 401, detail: expect.any(String), code: 'UNAUTHENTICATED' });
    expect(setup().custos.verifyCalls).toHaveLength(0);
  });

  it('answers 401 for a token Custos does not know or has revoked', async () => {
    const unknown = await call('Bearer cus_test_nope');
    expect(unknown).toMatchObject({ status: 401, body: { code: VerifyCode.NOT_FOUND, status: 401 } });
    const token = setup().custos.validToken();
    setup().custos.answer(token.raw, VerifyCode.REVOKED);
    expect(await call(`Bearer ${token.raw}`)).toMatchObject({ status: 401, body: { code: VerifyCode.REVOKED } });
  });

  it('answers 403 for a token without the scope', async () => {
    const token = setup().custos.validToken({ scopes: ['orders:write'] });
    const answer = await call(`Bearer ${token.raw}`);
    expect(answer).toMatchObject({ status: 403, body: { code: VerifyCode.INSUFFICIENT_SCOPE, status: 403 } });
    expect(answer.type).toMatch(/^application\/problem\+json/);
  });

  it('answers 429 with Retry-After for a rate-limited token', async () => {
    const token = setup().custos.validToken();
    setup().custos.answer(token.raw, VerifyCode.RATE_LIMITED, { retryAfterSeconds: 7 });
    expect(await call(`Bearer ${token.raw}`)).toMatchObject({ status: 429, retryAfter: '7', body: { code: VerifyCode.RATE_LIMITED } });
  });
}
