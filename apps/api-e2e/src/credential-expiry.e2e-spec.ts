import { ApiClient, addUser, asOwner, serviceKey, signupTenant, type TestTenant } from '@custos/testing';

/** Credentials stop working when they end: sessions and service keys alike (lock-outs: login-throttle.e2e-spec). */
describe('credential expiry', () => {
  const api = ApiClient.fromEnv();
  let tenant: TestTenant;

  beforeAll(async () => {
    tenant = await signupTenant(api, 'Expiry');
  });

  it('refuses a session after it expires', async () => {
    const user = await addUser(tenant, 'viewer');
    expect((await user.client.get('/v1/me')).status).toBe(200);
    await asOwner((db) =>
      db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE tenant_id = $1 AND user_id = $2`, [
        tenant.tenantId,
        user.id,
      ]),
    );
    const after = await user.client.get('/v1/me');
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a service key once its expiry has passed, even while its state is cached', async () => {
    const key = await serviceKey(tenant, ['custos:tokens:read'], { expiresInSeconds: 2 });
    expect((await key.client.get('/v1/tokens')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_300));
    const after = await key.client.get('/v1/tokens');
    expect(after.status).toBe(401);
  });
});
