import { addUser, ApiClient, auditEvents, createService, issueToken, serviceKey, signupTenant, verifyAuditChain, type TestTenant, type TestUser } from '@custos/testing';

interface Stewarded {
  id: string;
  stewardUserId: string | null;
}

interface Problem {
  code: string;
  errors?: { field: string; message: string }[];
}

/**
 * Stewardship over HTTP (issue 17, section 1): every token and service has an accountable user, by
 * default whoever made it (a service key: its service's steward); only owners and admins name another;
 * and a user who stewards anything is removed only by handing it to a successor.
 */
describe('stewards of tokens and services', () => {
  let tenant: TestTenant;
  let admin: TestUser;
  let operator: TestUser;

  beforeAll(async () => {
    tenant = await signupTenant(ApiClient.fromEnv(), 'Stewardship');
    admin = await addUser(tenant, 'admin');
    operator = await addUser(tenant, 'operator');
  });

  const tokenOf = async (id: string) => (await tenant.owner.get<Stewarded>(`/v1/tokens/${id}`)).body;

  it('makes whoever issues a token its steward, and a service key the steward of its service', async () => {
    expect((await issueToken(tenant.owner)).token).toMatchObject({ stewardUserId: tenant.ownerId });
    expect((await issueToken(admin.client)).token).toMatchObject({ stewardUserId: admin.id });
    const service = await createService(tenant.owner, { allowedScopes: ['orders:read', 'custos:tokens:issue'], stewardUserId: admin.id });
    expect(service).toMatchObject({ stewardUserId: admin.id });
    const key = await serviceKey(tenant, ['custos:tokens:issue'], { ownerServiceId: service.id });
    const byKey = await issueToken(key.client);
    expect(byKey.token).toMatchObject({ stewardUserId: admin.id });
    expect((await tokenOf(byKey.token.id)).stewardUserId).toBe(admin.id);
  });

  it('lets owners and admins name a steward, on issue and by PATCH, and refuses anyone else or a stranger', async () => {
    const named = await issueToken(admin.client, { stewardUserId: operator.id });
    expect(named.token).toMatchObject({ stewardUserId: operator.id });
    const byOperator = await operator.client.post<Problem>('/v1/tokens', { name: 'mine', scopes: ['orders:read'], expiresInSeconds: 3600, stewardUserId: admin.id });
    expect([byOperator.status, byOperator.body.code]).toEqual([403, 'FORBIDDEN']);
    const stranger = await tenant.owner.patch<Problem>(`/v1/tokens/${named.token.id}`, { stewardUserId: 'usr_nobody' });
    expect([stranger.status, stranger.body.errors]).toEqual([400, [{ field: 'stewardUserId', message: 'is not a user of this organization' }]]);
    const patched = await tenant.owner.patch<Stewarded>(`/v1/tokens/${named.token.id}`, { stewardUserId: admin.id });
    expect(patched.body.stewardUserId).toBe(admin.id);
    const updated = (await auditEvents(tenant.owner, `target=${named.token.id}`)).find((e) => e.action === 'token.updated');
    expect(updated?.data).toMatchObject({ changed: ['stewardUserId'], before: { stewardUserId: operator.id }, after: { stewardUserId: admin.id } });
  });

  it('keeps the steward across a rotation', async () => {
    const issued = await issueToken(tenant.owner, { stewardUserId: operator.id });
    const rotated = await tenant.owner.post<{ token: Stewarded }>(`/v1/tokens/${issued.token.id}/rotate`, {});
    expect(rotated.body.token.stewardUserId).toBe(operator.id);
  });

  it('removes a steward only with a successor, who takes over their tokens and services; nothing changes without one', async () => {
    const leaving = await addUser(tenant, 'admin');
    const token = await issueToken(leaving.client);
    const service = await createService(tenant.owner, { stewardUserId: leaving.id });

    const refused = await tenant.owner.delete<Problem>(`/v1/users/${leaving.id}`);
    expect([refused.status, refused.body.code, refused.body.errors]).toEqual([409, 'CONFLICT', [{ field: 'successor', message: 'is required: the user stewards 1 token and 1 service' }]]);
    expect((await tokenOf(token.token.id)).stewardUserId).toBe(leaving.id);
    const nobody = await tenant.owner.delete<Problem>(`/v1/users/${leaving.id}?successor=usr_nobody`);
    expect([nobody.status, nobody.body.errors]).toEqual([400, [{ field: 'successor', message: 'must be another user of this organization' }]]);

    expect((await tenant.owner.delete(`/v1/users/${leaving.id}?successor=${admin.id}`)).status).toBe(204);
    expect((await tokenOf(token.token.id)).stewardUserId).toBe(admin.id);
    expect((await tenant.owner.get<Stewarded>(`/v1/services/${service.id}`)).body.stewardUserId).toBe(admin.id);
    const removal = (await auditEvents(tenant.owner, `target=${leaving.id}`)).find((e) => e.action === 'user.removed');
    expect(removal?.data).toMatchObject({ successor: admin.id, stewarded: { tokens: 1, services: 1 } });
    expect(await verifyAuditChain(tenant.owner)).toMatchObject({ valid: true });
  });
});
