import { ApiClient, PASSWORD, issueToken, login, serviceKey, signupTenant, type IssuedBody, type TestTenant } from '@custos/testing';

/**
 * The issue's definition of done, as a service and an admin would run it, over HTTP against the real
 * api process: signup → login → service key → issue → verify → rotate → revoke → audit verify, while
 * another tenant's key sees none of it.
 */
describe('token lifecycle over HTTP', () => {
  const api = ApiClient.fromEnv();
  let acme: TestTenant;
  let service: ApiClient;
  let issued: IssuedBody;
  let stranger: ApiClient;

  const verify = (client: ApiClient, token: string, scopes?: string[]) =>
    client.post<{ valid: boolean; code: string; tokenId?: string }>('/v1/verify', { token, ...(scopes ? { scopes } : {}) });

  beforeAll(async () => {
    acme = await signupTenant(api, 'Acme');
    const other = await signupTenant(api, 'Other');
    stranger = (await serviceKey(other)).client;
  });

  it('logs the owner in with e-mail and password', async () => {
    const session = await login(api, acme.email, PASSWORD);
    const me = await session.get<{ user: { email: string; role: string }; tenant: { id: string } }>('/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email: acme.email, role: 'owner' });
    expect(me.body.tenant.id).toBe(acme.tenantId);
  });

  it('creates a service key that authenticates with Authorization: Bearer', async () => {
    const key = await serviceKey(acme, ['custos:tokens:issue', 'custos:tokens:verify', 'custos:tokens:rotate', 'custos:tokens:revoke', 'custos:tokens:read', 'custos:audit:read']);
    service = key.client;
    expect(key.issued.secret).toMatch(/^cus_live_[0-9A-Za-z]{61}$/);
    expect((await service.get('/v1/tokens')).status).toBe(200);
  });

  it('issues a token with the service key, showing the secret once', async () => {
    issued = await issueToken(service, { name: 'orders-reader', scopes: ['orders:read'] });
    expect(issued.token).toMatchObject({ status: 'active', scopes: ['orders:read'], createdVia: 'api' });
    const fetched = await service.get(`/v1/tokens/${issued.token.id}`);
    expect(JSON.stringify(fetched.body)).not.toContain(issued.secret);
    expect(fetched.body).not.toHaveProperty('secretHash');
  });

  it('refuses an ordinary token (no custos scope) as a credential for the Custos API', async () => {
    const asToken = api.withAuth({ bearer: issued.secret });
    expect((await asToken.get('/v1/me')).status).toBe(401);
    expect((await asToken.get('/v1/tokens')).status).toBe(401);
  });

  it('verifies VALID, INSUFFICIENT_SCOPE for a missing scope, MALFORMED when tampered', async () => {
    expect((await verify(service, issued.secret, ['orders:read'])).body).toMatchObject({ valid: true, code: 'VALID', tokenId: issued.token.id });
    expect((await verify(service, issued.secret, ['orders:write'])).body).toMatchObject({ valid: false, code: 'INSUFFICIENT_SCOPE' });
    const last = issued.secret.at(-1) === 'a' ? 'b' : 'a';
    expect((await verify(service, issued.secret.slice(0, -1) + last)).body).toMatchObject({ valid: false, code: 'MALFORMED' });
  });

  it('rotates: old and new are both VALID during the grace period', async () => {
    const rotated = await service.post<IssuedBody & { predecessor: { status: string; graceEndsAt: string } }>(
      `/v1/tokens/${issued.token.id}/rotate`,
      { gracePeriodSeconds: 600 },
    );
    expect(rotated.status).toBe(201);
    expect(rotated.body.predecessor.status).toBe('rotating');
    expect(rotated.body.token.id).not.toBe(issued.token.id);
    expect((await verify(service, issued.secret)).body.code).toBe('VALID');
    expect((await verify(service, rotated.body.secret)).body.code).toBe('VALID');
    const lineage = await service.get<{ items: Array<{ id: string }> }>(`/v1/tokens/${rotated.body.token.id}/lineage`);
    expect(lineage.body.items.map((t) => t.id)).toEqual([issued.token.id, rotated.body.token.id]);
    issued = rotated.body;
  });

  it('revokes: the token answers REVOKED from then on', async () => {
    const revoked = await service.post(`/v1/tokens/${issued.token.id}/revoke`, { reason: 'flow test' });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedReason: 'flow test' });
    expect((await verify(service, issued.secret)).body).toMatchObject({ valid: false, code: 'REVOKED' });
  });

  it("keeps the audit chain valid, with every step in it", async () => {
    const verdict = await service.get<{ valid: boolean; checkedEvents: number }>('/v1/audit-events/verify');
    expect(verdict.body.valid).toBe(true);
    const events = await service.get<{ items: Array<{ action: string }> }>('/v1/audit-events?limit=200');
    const actions = events.body.items.map((e) => e.action);
    for (const action of ['tenant.created', 'auth.login_succeeded', 'token.issued', 'token.rotated', 'token.revoked']) {
      expect(actions).toContain(action);
    }
    expect(verdict.body.checkedEvents).toBe(actions.length);
  });

  it("shows another tenant's key nothing of it", async () => {
    expect((await verify(stranger, issued.secret)).body).toEqual({ valid: false, code: 'NOT_FOUND' });
    for (const path of [`/v1/tokens/${issued.token.id}`, `/v1/tokens/${issued.token.id}/lineage`]) {
      expect((await stranger.get(path)).status).toBe(404);
    }
    for (const [path, body] of [
      [`/v1/tokens/${issued.token.id}/revoke`, { reason: 'x' }],
      [`/v1/tokens/${issued.token.id}/rotate`, {}],
      [`/v1/tokens/${issued.token.id}/suspend`, {}],
    ] as const) {
      expect((await stranger.post(path, body)).status).toBe(404);
    }
    const list = await stranger.get<{ items: Array<{ id: string }> }>('/v1/tokens?limit=200');
    expect(list.body.items.map((t) => t.id)).not.toContain(issued.token.id);
  });
});
