import { ApiClient, PASSWORD, addUser, asOwner, login, serviceKey, signupTenant, type TestTenant } from '@custos/testing';

/** Credentials stop working when they end: sessions, service keys, and lock-outs alike. */
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

  it('lets a locked-out user in again once the lock-out has ended', async () => {
    const user = await addUser(tenant, 'auditor');
    for (let i = 0; i < 5; i++) {
      expect((await api.post('/v1/auth/login', { email: user.email, password: 'wrong password' })).status).toBe(401);
    }
    expect((await api.post('/v1/auth/login', { email: user.email, password: PASSWORD })).status).toBe(423);
    await asOwner((db) =>
      db.query(`UPDATE users SET locked_until = now() - interval '1 second' WHERE tenant_id = $1 AND id = $2`, [
        tenant.tenantId,
        user.id,
      ]),
    );
    const session = await login(api, user.email, PASSWORD);
    expect((await session.get('/v1/me')).status).toBe(200);
  });
});
