import {
  ApiClient,
  PASSWORD,
  addUser,
  auditEvents,
  createConsent,
  createService,
  issueToken,
  login,
  serviceKey,
  signupTenant,
  verifyAuditChain,
  type TestTenant,
  type TestUser,
} from '@custos/testing';

interface Actor {
  id: string;
  kind: 'user' | 'service_key';
  email: string | null;
  name: string | null;
  removedAt: string | null;
}
interface TokenWithActors {
  id: string;
  createdBy: string | null;
  createdByActor: Actor | null;
  revokedBy: string | null;
  revokedByActor: Actor | null;
  stewardUserId: string | null;
}

/**
 * Who did it, over HTTP: the ids on tokens, consents, reports and audit events come with the person's
 * e-mail (the one they had, after they are removed) or the service key's service name. A removed
 * person still cannot log in, and their e-mail can be registered again.
 */
describe('people named in the API', () => {
  const api = ApiClient.fromEnv();
  let tenant: TestTenant;
  let ana: TestUser;
  beforeEach(async () => {
    tenant = await signupTenant(api, 'People');
    ana = await addUser(tenant, 'admin');
  });

  const person = (user: { id: string; email: string }, removed = false) => ({
    id: user.id,
    kind: 'user',
    email: user.email,
    name: null,
    removedAt: removed ? expect.stringMatching(/^\d{4}-\d\d-\d\dT/) : null,
  });
  const owner = () => ({ id: tenant.ownerId, email: tenant.email });
  const tokenOf = async (id: string) => (await tenant.owner.get<TokenWithActors>(`/v1/tokens/${id}`)).body;

  it("keeps naming a removed person by the e-mail they had, on their token, while they cannot log in and their e-mail comes back as a new account", async () => {
    const { token } = await issueToken(ana.client);
    expect((token as unknown as TokenWithActors).createdByActor).toEqual(person(ana));
    const revoked = await tenant.owner.post<TokenWithActors>(`/v1/tokens/${token.id}/revoke`, { reason: 'left the team' });
    expect([revoked.body.createdByActor, revoked.body.revokedByActor]).toEqual([person(ana), person(owner())]);

    // She stewards the token she issued: removing her hands it to the owner.
    const refused = await tenant.owner.delete<{ code: string; errors: { field: string; message: string }[] }>(`/v1/users/${ana.id}`);
    expect([refused.status, refused.body.code, refused.body.errors]).toEqual([409, 'CONFLICT', [{ field: 'successor', message: 'is required: the user stewards 1 token and 0 services' }]]);
    expect((await tenant.owner.delete(`/v1/users/${ana.id}?successor=${tenant.ownerId}`)).status).toBe(204);

    const shown = await tokenOf(token.id);
    expect(shown.stewardUserId).toBe(tenant.ownerId);
    expect([shown.createdBy, shown.createdByActor, shown.revokedByActor]).toEqual([ana.id, person(ana, true), person(owner())]);
    const inventory = await tenant.owner.get<{ items: TokenWithActors[] }>('/v1/inventory?limit=10');
    expect(inventory.body.items.map((t) => t.createdByActor?.email)).toEqual([ana.email]);
    const users = await tenant.owner.get<{ items: Array<{ email: string }> }>('/v1/users');
    expect(users.body.items.map((u) => u.email)).not.toContain(ana.email);

    const login = await api.anonymous().post<{ code: string }>('/v1/auth/login', { email: ana.email, password: PASSWORD });
    expect([login.status, login.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);

    const again = await tenant.owner.post<{ id: string; email: string }>('/v1/users', { email: ana.email, password: PASSWORD, role: 'viewer' });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(ana.id);
    expect((await api.anonymous().post('/v1/auth/login', { email: ana.email, password: PASSWORD })).status).toBe(200);
    // The old token is still the removed account's, not the new one's.
    expect((await tokenOf(token.id)).createdByActor).toEqual(person(ana, true));
  });

  it("names audit actors by e-mail and service name, filters by e-mail across accounts, and leaves the chain's hashes alone", async () => {
    const service = await createService(tenant.owner, { name: `billing-${ana.id.slice(-6)}`, allowedScopes: ['orders:read', 'custos:tokens:issue'] });
    const key = await serviceKey(tenant, ['custos:tokens:issue'], { ownerServiceId: service.id });
    const byKey = await issueToken(key.client);
    const keyActor = { id: key.issued.token.id, kind: 'service_key', email: null, name: service.name, removedAt: null };
    expect((await tokenOf(byKey.token.id)).createdByActor).toEqual(keyActor);

    await issueToken(ana.client);
    expect((await tenant.owner.delete(`/v1/users/${ana.id}?successor=${tenant.ownerId}`)).status).toBe(204);

    const events = await auditEvents(tenant.owner);
    const actorOf = (action: string, actorId: string) => events.find((e) => e.action === action && e.actorId === actorId)?.actor;
    expect(actorOf('token.issued', key.issued.token.id)).toEqual(keyActor);
    expect(actorOf('token.issued', ana.id)).toEqual(person(ana, true));
    const removal = events.find((e) => e.action === 'user.removed')!;
    expect([removal.actor, removal.targetActor]).toEqual([person(owner()), person(ana, true)]);

    // A new account under the removed person's e-mail signs in: the e-mail finds what both did.
    const again = await tenant.owner.post<{ id: string }>('/v1/users', { email: ana.email, password: PASSWORD, role: 'viewer' });
    await login(api, ana.email, PASSWORD);
    const byEmail = await auditEvents(tenant.owner, `actor=${encodeURIComponent(ana.email.toUpperCase())}`);
    expect(new Set(byEmail.map((e) => e.actorId))).toEqual(new Set([ana.id, again.body.id]));
    expect(byEmail.filter((e) => e.action === 'token.issued').map((e) => [e.actorId, e.actor])).toEqual([[ana.id, person(ana, true)]]);
    expect(byEmail.find((e) => e.actorId === again.body.id)?.actor).toEqual(person({ id: again.body.id, email: ana.email }));
    expect(await verifyAuditChain(tenant.owner)).toMatchObject({ valid: true });
  });

  it("names a consent version's author and a report's requester after they are removed", async () => {
    const consent = await createConsent(ana.client);
    const report = await ana.client.post<{ id: string; requestedByActor: Actor }>('/v1/reports', {
      framework: 'gdpr',
      format: 'json',
      from: new Date(Date.now() - 86400_000).toISOString(),
      to: new Date().toISOString(),
    });
    expect([report.status, report.body.requestedByActor]).toEqual([202, person(ana)]);

    await tenant.owner.delete(`/v1/users/${ana.id}`);

    const detail = await tenant.owner.get<{ versions: Array<{ createdBy: string; createdByActor: Actor }> }>(`/v1/consents/${consent.id}`);
    expect(detail.body.versions.map((v) => [v.createdBy, v.createdByActor])).toEqual([[ana.id, person(ana, true)]]);
    const shown = await tenant.owner.get<{ requestedBy: string; requestedByActor: Actor }>(`/v1/reports/${report.body.id}`);
    expect([shown.body.requestedBy, shown.body.requestedByActor]).toEqual([ana.id, person(ana, true)]);
  });
});
