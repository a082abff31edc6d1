import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Role } from '@custos/contracts';
import {
  ApiClient,
  PASSWORD,
  asOwner,
  login,
  pollUntil,
  serviceKey,
  sessionCookieOf,
  signupTenant,
  startApi,
  tenantFootprint,
  uniqueEmail,
  userWithRole,
  type RunningApi,
  type TestTenant,
} from '@custos/testing';

/**
 * Invitations and passwords over HTTP (docs/security.md#invitations, #passwords): a person invited with
 * a role accepts a one-time link, chooses their password and is signed in with that role; passwords
 * follow the rules everywhere; a password someone else chose must be changed at first log-in.
 */
interface Problem {
  code: string;
  errors?: Array<{ field: string; message: string }>;
}
interface Created {
  id: string;
  token: string;
  url: string;
  expiresAt: string;
  email: string;
  role: Role;
  emailed: boolean;
}
interface Session {
  user: { id: string; email: string; role: Role };
  tenant: { id: string; name: string };
  csrfToken: string;
  scopes: string[];
  restriction: string | null;
}

const fieldsOf = (body: unknown): string[] => ((body as Problem).errors ?? []).map((e) => e.field);

async function auditActions(tenantId: string): Promise<string[]> {
  await tenantFootprint(tenantId);
  const { rows } = await asOwner((db) => db.query<{ action: string }>(`SELECT action FROM audit_events WHERE tenant_id = $1 ORDER BY seq`, [tenantId]));
  return rows.map((r) => r.action);
}

describe('invitations over HTTP', () => {
  const api = ApiClient.fromEnv();
  const anonymous = api.anonymous();
  let tenant: TestTenant;

  beforeAll(async () => {
    tenant = await signupTenant(api, 'Invitations');
  });

  async function invite(by: ApiClient, role: Role, email = uniqueEmail(`invited-${role}`)): Promise<Created> {
    const res = await by.post<Created>('/v1/invitations', { email, role });
    if (res.status !== 201) throw new Error(`invite: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  it('invite, accept and log in: the person has the invited role, and the link works once', async () => {
    const email = uniqueEmail('operator');
    const created = await invite(tenant.owner, 'operator', email);
    expect(created).toMatchObject({ id: expect.stringMatching(/^inv_/), email, role: 'operator', emailed: false });
    expect(created.token).toMatch(/^cinv_/);
    // The token travels in the fragment of the accept page: browsers never send it to a server.
    expect(created.url).toBe(`${api.baseUrl}/invitations/accept#token=${created.token}`);
    expect(new Date(created.expiresAt).getTime() - Date.now()).toBeGreaterThan(71 * 3_600_000);

    const pending = await tenant.owner.get<{ items: Array<Record<string, unknown>> }>('/v1/invitations');
    expect(pending.body.items).toContainEqual({
      id: created.id,
      email,
      role: 'operator',
      invitedBy: tenant.ownerId,
      createdAt: expect.any(String),
      expiresAt: created.expiresAt,
    });
    expect(JSON.stringify(pending.body)).not.toContain(created.token);

    const preview = await anonymous.get(`/v1/invitations/${created.token}`);
    expect(preview).toMatchObject({ status: 200, body: { email, role: 'operator', organization: expect.stringContaining('Invitations'), expiresAt: created.expiresAt } });

    const accepted = await anonymous.post<Session>(`/v1/invitations/${created.token}/accept`, { password: PASSWORD });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ user: { email, role: 'operator' }, tenant: { id: tenant.tenantId }, restriction: null });
    const person = api.withAuth({ cookie: sessionCookieOf(accepted.headers), csrfToken: accepted.body.csrfToken });
    expect((await person.get('/v1/me')).body).toMatchObject({ user: { email, role: 'operator' } });

    // Once: the same link again, and its page, answer 404; the list no longer shows it.
    expect((await anonymous.post<Problem>(`/v1/invitations/${created.token}/accept`, { password: PASSWORD })).body.code).toBe('NOT_FOUND');
    expect((await anonymous.get(`/v1/invitations/${created.token}`)).status).toBe(404);
    expect((await tenant.owner.get<{ items: Array<{ id: string }> }>('/v1/invitations')).body.items.map((i) => i.id)).not.toContain(created.id);

    // A later log-in has the invited role and nothing owed.
    const again = await anonymous.post<Session>('/v1/auth/login', { email, password: PASSWORD });
    expect(again.body).toMatchObject({ mfaRequired: false, user: { email, role: 'operator' }, restriction: null });

    // Each change with its audit event: the invitation, its acceptance with the account and its sign-in, the later log-in.
    expect((await auditActions(tenant.tenantId)).slice(-5)).toEqual([
      'invitation.created',
      'invitation.accepted',
      'user.created',
      'auth.login_succeeded',
      'auth.login_succeeded',
    ]);
  });

  it('refuses a role the inviter does not hold, an e-mail that has an account, and unknown links', async () => {
    const admin = await userWithRole(tenant, 'admin');
    const owner = await admin.post<Problem>('/v1/invitations', { email: uniqueEmail('owner'), role: 'owner' });
    expect({ status: owner.status, code: owner.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    const viewerKey = await serviceKey(tenant, ['custos:users:write', 'custos:users:read']);
    const escalation = await viewerKey.client.post<Problem>('/v1/invitations', { email: uniqueEmail('admin'), role: 'admin' });
    expect({ status: escalation.status, code: escalation.body.code }).toEqual({ status: 403, code: 'SCOPE_ESCALATION' });

    const taken = await tenant.owner.post<Problem>('/v1/invitations', { email: tenant.email.toUpperCase(), role: 'viewer' });
    expect({ status: taken.status, code: taken.body.code, fields: fieldsOf(taken.body) }).toEqual({ status: 409, code: 'EMAIL_TAKEN', fields: ['email'] });

    for (const token of ['cinv_unknown', 'not-a-token', `cinv_${'x'.repeat(200)}`]) {
      expect((await anonymous.get(`/v1/invitations/${token}`)).status).toBe(404);
      expect((await anonymous.post(`/v1/invitations/${token}/accept`, { password: PASSWORD })).status).toBe(404);
    }
  });

  it('a new invitation of the same e-mail replaces the pending one; a revoked link stops working', async () => {
    const email = uniqueEmail('twice');
    const first = await invite(tenant.owner, 'viewer', email);
    const second = await invite(tenant.owner, 'auditor', email);
    expect((await anonymous.get(`/v1/invitations/${first.token}`)).status).toBe(404);
    const listed = (await tenant.owner.get<{ items: Array<{ id: string; email: string }> }>('/v1/invitations')).body.items.filter((i) => i.email === email);
    expect(listed.map((i) => i.id)).toEqual([second.id]);

    expect((await tenant.owner.delete(`/v1/invitations/${second.id}`)).status).toBe(204);
    expect((await anonymous.post<Problem>(`/v1/invitations/${second.token}/accept`, { password: PASSWORD })).status).toBe(404);
    expect((await tenant.owner.delete<Problem>(`/v1/invitations/${second.id}`)).status).toBe(404);
    expect(await auditActions(tenant.tenantId)).toEqual(expect.arrayContaining(['invitation.revoked']));
  });

  it('refuses a password that breaks the rules with 400 naming it, and writes nothing', async () => {
    const email = uniqueEmail('rules');
    const created = await invite(tenant.owner, 'viewer', email);
    const before = await tenantFootprint(tenant.tenantId);
    // Too short; common (whatever the case); containing the e-mail's local part; the e-mail itself.
    for (const password of ['short pass', 'QWERTY123456', 'qwerty123456', `${email.split('@')[0]}!!`, email]) {
      const res = await anonymous.post<Problem>(`/v1/invitations/${created.token}/accept`, { password });
      expect({ password, status: res.status, code: res.body.code, fields: fieldsOf(res.body) }).toEqual({
        password,
        status: 400,
        code: 'VALIDATION_FAILED',
        fields: expect.arrayContaining(['password']),
      });
    }
    expect(await tenantFootprint(tenant.tenantId)).toEqual(before);
    // The link still works with a good password.
    expect((await anonymous.post(`/v1/invitations/${created.token}/accept`, { password: PASSWORD })).status).toBe(200);

    const signup = await anonymous.post<Problem>('/v1/signup', { organization: 'Weak', email: uniqueEmail('weak'), password: 'qwerty123456' });
    expect({ status: signup.status, fields: fieldsOf(signup.body) }).toEqual({ status: 400, fields: ['password'] });
    const made = await tenant.owner.post<Problem>('/v1/users', { email: uniqueEmail('weak'), password: '1q2w3e4r5t6y', role: 'viewer' });
    expect({ status: made.status, fields: fieldsOf(made.body) }).toEqual({ status: 400, fields: ['password'] });
  });

  it('an account made with POST /v1/users must change its password at first log-in, then is free', async () => {
    const email = uniqueEmail('made');
    const made = await tenant.owner.post<{ id: string }>('/v1/users', { email, password: PASSWORD, role: 'operator' });
    expect(made.status).toBe(201);
    const first = await login(api, email, PASSWORD);
    const other = await login(api, email, PASSWORD);
    const probe = await first.get<{ session: Session }>('/v1/auth/session');
    expect(probe.body.session.restriction).toBe('password_change');
    expect((await first.get<Problem>('/v1/tokens')).body.code).toBe('PASSWORD_CHANGE_REQUIRED');

    const wrong = await first.post<Problem>('/v1/me/password', { currentPassword: 'not the password at all', newPassword: 'a brand new passphrase' });
    expect({ status: wrong.status, fields: fieldsOf(wrong.body) }).toEqual({ status: 400, fields: ['currentPassword'] });
    const weak = await first.post<Problem>('/v1/me/password', { currentPassword: PASSWORD, newPassword: 'qwerty123456' });
    expect({ status: weak.status, fields: fieldsOf(weak.body) }).toEqual({ status: 400, fields: ['newPassword'] });
    const same = await first.post<Problem>('/v1/me/password', { currentPassword: PASSWORD, newPassword: PASSWORD });
    expect({ status: same.status, fields: fieldsOf(same.body) }).toEqual({ status: 400, fields: ['newPassword'] });

    const changed = await first.post('/v1/me/password', { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' });
    expect(changed.status).toBe(204);
    expect((await first.get<{ session: Session }>('/v1/auth/session')).body.session.restriction).toBeNull();
    expect((await first.get('/v1/tokens')).status).toBe(200);
    // The person's other sessions ended; the old password no longer works, the new one does without restriction.
    expect((await other.get('/v1/me')).status).toBe(401);
    expect((await anonymous.post('/v1/auth/login', { email, password: PASSWORD })).status).toBe(401);
    expect((await anonymous.post<Session>('/v1/auth/login', { email, password: 'a brand new passphrase' })).body.restriction).toBeNull();
    expect(await auditActions(tenant.tenantId)).toEqual(expect.arrayContaining(['auth.password_changed']));
  });

  it('a service key has no password to change', async () => {
    const key = await serviceKey(tenant);
    const res = await key.client.post<Problem>('/v1/me/password', { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
  });

  describe('with SMTP_URL', () => {
    const mails: string[] = [];
    let smtp: SMTPServer;
    let mailingApi: RunningApi;

    beforeAll(async () => {
      smtp = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onData(stream, _session, done) {
          let raw = '';
          stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
          stream.on('end', () => {
            mails.push(raw);
            done();
          });
        },
      });
      await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
      const { port } = smtp.server.address() as AddressInfo;
      mailingApi = await startApi({ SMTP_URL: `smtp://127.0.0.1:${port}`, CUSTOS_PUBLIC_URL: 'https://custos.example.test', CUSTOS_MAIL_FROM: 'Custos <custos@example.test>' });
    }, 60_000);

    afterAll(async () => {
      await mailingApi?.stop();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    });

    it('e-mails the link to the person invited, who accepts it', async () => {
      const client = new ApiClient(mailingApi.url);
      const owner = await signupTenant(client, 'Mailing');
      const email = uniqueEmail('mailed');
      const created = await invite(owner.owner, 'viewer', email);
      expect(created.emailed).toBe(true);
      expect(created.url).toBe(`https://custos.example.test/invitations/accept#token=${created.token}`);
      const mail = await pollUntil(
        async () => mails.find((m) => m.includes(email)),
        (m) => m !== undefined,
      );
      // Quoted-printable: long lines are folded with a trailing "=".
      const text = mail!.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      expect(text).toMatch(/^From: Custos <custos@example\.test>/m);
      expect(text).toMatch(/^Subject: You are invited to Mailing/m);
      expect(text).toContain(created.url);
      const token = /#token=(cinv_[A-Za-z0-9_-]+)/.exec(text)![1]!;
      const accepted = await client.anonymous().post<Session>(`/v1/invitations/${token}/accept`, { password: PASSWORD });
      expect(accepted.body).toMatchObject({ user: { email, role: 'viewer' } });
    });
  });
});
