import {
  ApiClient,
  PASSWORD,
  addUser,
  asOwner,
  auditEvents,
  enrolTotp,
  login,
  loginWithTotp,
  sessionCookieOf,
  signupTenant,
  type TestTenant,
} from '@custos/testing';

/**
 * Strong sign-in over HTTP (issue 18's "done when"): TOTP enrolment and the log-in that then needs a
 * code, step-up before a key that administers Custos, sessions a person sees and ends at once, and a
 * policy that sends people without MFA to enrol.
 */
interface Problem {
  code: string;
  detail: string;
}

describe('MFA, step-up and sessions over HTTP', () => {
  const api = ApiClient.fromEnv();
  const anonymous = api.anonymous();
  let tenant: TestTenant;

  beforeAll(async () => {
    tenant = await signupTenant(api, 'MFA');
  });

  it('after TOTP enrolment, log-in needs a valid code: a wrong one and a replayed one are refused, a good one signs in', async () => {
    const person = await addUser(tenant, 'admin');
    const { app, recoveryCodes } = await enrolTotp(person.client);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect((await person.client.get('/v1/me/mfa')).body).toMatchObject({ totp: { enabled: true, pending: false }, recoveryCodesLeft: 10 });

    const first = await anonymous.post<{ mfaRequired: boolean; mfaToken: string; methods: string[] }>('/v1/auth/login', { email: person.email, password: PASSWORD });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ mfaRequired: true, mfaToken: expect.stringMatching(/^cmfa_/), methods: ['totp', 'recovery_code'] });
    expect(first.body).not.toHaveProperty('csrfToken');
    expect(first.headers.getSetCookie()).toEqual([]);

    const wrong = await anonymous.post<Problem>('/v1/auth/mfa', { mfaToken: first.body.mfaToken, code: '000000' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('INVALID_MFA');
    expect(wrong.headers.getSetCookie()).toEqual([]);

    // The confirmation used a code already: it cannot sign in.
    const replayed = await anonymous.post<Problem>('/v1/auth/mfa', { mfaToken: first.body.mfaToken, code: app.usedCode() });
    expect(replayed.status).toBe(401);

    const good = await anonymous.post<{ user: { id: string }; csrfToken: string }>('/v1/auth/mfa', { mfaToken: first.body.mfaToken, code: await app.code() });
    expect(good.status).toBe(200);
    expect(good.body.user.id).toBe(person.id);
    const session = api.withAuth({ cookie: sessionCookieOf(good.headers), csrfToken: good.body.csrfToken });
    expect((await session.get('/v1/me')).status).toBe(200);

    // The challenge is one-time.
    const again = await anonymous.post<Problem>('/v1/auth/mfa', { mfaToken: first.body.mfaToken, code: await app.code() });
    expect(again.status).toBe(401);

    // A recovery code signs in once.
    const second = await anonymous.post<{ mfaToken: string }>('/v1/auth/login', { email: person.email, password: PASSWORD });
    const recovered = await anonymous.post('/v1/auth/mfa', { mfaToken: second.body.mfaToken, code: recoveryCodes[0] });
    expect(recovered.status).toBe(200);
    const third = await anonymous.post<{ mfaToken: string }>('/v1/auth/login', { email: person.email, password: PASSWORD });
    expect((await anonymous.post('/v1/auth/mfa', { mfaToken: third.body.mfaToken, code: recoveryCodes[0] })).status).toBe(401);
    expect((await session.get('/v1/me/mfa')).body).toMatchObject({ recoveryCodesLeft: 9 });

    const actions = (await auditEvents(tenant.owner)).filter((e) => e.targetId === person.id).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['mfa.enabled', 'auth.mfa_required', 'auth.mfa_failed', 'auth.login_succeeded']));
  });

  it('issuing a key with a custos: scope needs a recent MFA check: STEP_UP_REQUIRED, then a code, then it is issued', async () => {
    const person = await addUser(tenant, 'admin');
    const { app, recoveryCodes } = await enrolTotp(person.client);
    const session = await loginWithTotp(api, person.email, PASSWORD, app);
    // Log-in with a code counts as a fresh check: move it back beyond the step-up window.
    await asOwner((db) => db.query(`UPDATE sessions SET mfa_at = now() - interval '11 minutes' WHERE user_id = $1`, [person.id]));

    const body = { name: 'ci-admin', scopes: ['custos:tokens:read'], expiresInSeconds: 3600 };
    const refused = await session.post<Problem>('/v1/tokens', body);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('STEP_UP_REQUIRED');
    // A key without custos: scopes needs none.
    const plain = await session.post('/v1/tokens', { name: 'orders', scopes: ['orders:read'], expiresInSeconds: 3600 });
    expect([plain.status, plain.body]).toEqual([201, expect.objectContaining({ secret: expect.any(String) })]);

    const wrongStepUp = await session.post<Problem>('/v1/auth/step-up', { code: app.usedCode() });
    expect(wrongStepUp.status).toBe(401);
    const stepUp = await session.post<{ stepUpUntil: string }>('/v1/auth/step-up', { code: await app.code() });
    expect(stepUp.status).toBe(200);
    expect(Date.parse(stepUp.body.stepUpUntil) - Date.now()).toBeGreaterThan(500_000);

    const issued = await session.post<{ token: { id: string; scopes: string[] } }>('/v1/tokens', body);
    expect(issued.status).toBe(201);
    expect(issued.body.token.scopes).toEqual(['custos:tokens:read']);

    // Rotating that key hands out a new secret with the same power: the same check, and nothing changes without it.
    await asOwner((db) => db.query(`UPDATE sessions SET mfa_at = now() - interval '11 minutes' WHERE user_id = $1`, [person.id]));
    const rotateRefused = await session.post<Problem>(`/v1/tokens/${issued.body.token.id}/rotate`, {});
    expect([rotateRefused.status, rotateRefused.body.code]).toEqual([403, 'STEP_UP_REQUIRED']);
    expect((await session.get<{ status: string }>(`/v1/tokens/${issued.body.token.id}`)).body.status).toBe('active');
    // A recovery code steps up too (and a fourth TOTP code would wait for the next 30-second step).
    expect((await session.post('/v1/auth/step-up', { code: recoveryCodes[0] })).status).toBe(200);
    expect((await session.post(`/v1/tokens/${issued.body.token.id}/rotate`, {})).status).toBe(201);
  });

  it('lists a person\'s sessions and ends one at once; an admin ends all of someone\'s', async () => {
    const person = await addUser(tenant, 'operator');
    const laptop = person.client;
    const phone = await login(api, person.email, PASSWORD);

    const listed = await laptop.get<{ items: Array<{ id: string; current: boolean; method: string; ipPrefix: string | null }> }>('/v1/me/sessions');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(2);
    expect(listed.body.items.filter((s) => s.current)).toHaveLength(1);
    // The phone's session came from a log-in with a password.
    expect(listed.body.items.find((s) => !s.current)!.method).toBe('password');
    expect(JSON.stringify(listed.body)).not.toMatch(/custos_session|cses_/);

    const phoneId = listed.body.items.find((s) => !s.current)!.id;
    expect((await laptop.delete(`/v1/me/sessions/${phoneId}`)).status).toBe(204);
    expect((await phone.get('/v1/me')).status).toBe(401);
    expect((await laptop.get('/v1/me')).status).toBe(200);

    // Somebody else's session is not theirs to end.
    const other = await addUser(tenant, 'viewer');
    const othersId = (await other.client.get<{ items: Array<{ id: string }> }>('/v1/me/sessions')).body.items[0]!.id;
    expect((await laptop.delete(`/v1/me/sessions/${othersId}`)).status).toBe(404);
    expect((await other.client.get('/v1/me')).status).toBe(200);

    expect((await tenant.owner.delete(`/v1/users/${person.id}/sessions`)).status).toBe(204);
    expect((await laptop.get('/v1/me')).status).toBe(401);
    const actions = (await auditEvents(tenant.owner)).filter((e) => e.action === 'auth.session_revoked' && e.targetId === person.id);
    expect(actions.map((e) => (e.data as { by: string }).by).sort()).toEqual(['admin', 'self']);
  });

  it('a role the policy requires MFA for is sent to enrol at its next log-in, and can do nothing else until enrolled', async () => {
    const org = await signupTenant(api, 'Require MFA');
    const operator = await addUser(org, 'operator');
    const policy = (await org.owner.get<Record<string, unknown>>('/v1/policy')).body;
    const { updatedAt: _updatedAt, ...rest } = policy;
    expect((await org.owner.put('/v1/policy', { ...rest, auth: { requireMfaForRoles: ['operator'] } })).status).toBe(200);

    const res = await anonymous.post<{ restriction: string | null; csrfToken: string }>('/v1/auth/login', { email: operator.email, password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.restriction).toBe('mfa_enrolment');
    const restricted = api.withAuth({ cookie: sessionCookieOf(res.headers), csrfToken: res.body.csrfToken });
    const refused = await restricted.get<Problem>('/v1/tokens');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('MFA_ENROLMENT_REQUIRED');
    expect((await restricted.get('/v1/me')).status).toBe(200);

    await enrolTotp(restricted);
    expect((await restricted.get('/v1/tokens')).status).toBe(200);
    expect((await restricted.get<{ restriction: string | null }>('/v1/me')).body.restriction).toBeNull();
  });

  it('idle sessions end after the policy\'s idleMinutes', async () => {
    const person = await addUser(tenant, 'viewer');
    await asOwner((db) => db.query(`UPDATE sessions SET last_seen_at = now() - interval '3 hours' WHERE user_id = $1`, [person.id]));
    expect((await person.client.get('/v1/me')).status).toBe(401);
  });
});
