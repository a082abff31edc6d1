import { ErrorCode, ROLE_SCOPES, type Role } from '@custos/contracts';
import { PasswordHasher } from '@custos/crypto';
import { DomainError } from '@custos/domain';
import {
  auditTrailOf,
  createTenant,
  createUser,
  expireInvitation,
  serviceKeyPrincipal,
  uniqueId,
  useMediumDatabase,
  type FixtureUser,
} from '@custos/fixtures';
import { InvitationRepository, TenantRepository, UserRepository } from '@custos/persistence';
import type { LoginThrottle } from '../accounts/login-throttle';
import { auditOn } from '../testing/audit-on';
import { authOn } from '../testing/auth-on';
import type { InvitationMail, InvitationMailer } from './invitation-mailer';
import { InvitationsService, invitationUrl } from './invitations.service';

async function refusal(work: Promise<unknown>): Promise<DomainError> {
  const error = await work.then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw error;
  return error;
}

const OPEN_THROTTLE: LoginThrottle = {
  attempt: () => Promise.resolve({ allowed: true, lastBeforeLockout: false }),
  failed: () => Promise.resolve(null),
  succeeded: () => Promise.resolve(),
};

class RecordingMailer implements InvitationMailer {
  readonly enabled = true;
  readonly sent: InvitationMail[] = [];
  failing = false;
  send(mail: InvitationMail): Promise<void> {
    if (this.failing) return Promise.reject(new Error('550 mailbox unavailable'));
    this.sent.push(mail);
    return Promise.resolve();
  }
}

/** Invitations on the real database: who may invite to what, one-time links, expiry, replacement, tenants apart, audit. */
describe('InvitationsService (medium)', () => {
  const db = useMediumDatabase();
  const { audit, sealer } = auditOn(db);
  afterEach(() => sealer.drain());
  const { auth } = authOn(db, audit, OPEN_THROTTLE);
  const mailer = new RecordingMailer();
  const invitations = new InvitationsService(
    db,
    audit,
    new PasswordHasher(),
    auth,
    mailer,
    new InvitationRepository(),
    new UserRepository(),
    new TenantRepository(),
  );
  const meta = { requestId: 'req_invitations', ip: '203.0.113.7', userAgent: 'jest' };
  const BASE = 'https://custos.example.test';
  const PASSWORD = 'a long enough passphrase';
  const email = (label = 'invited') => `${uniqueId(label)}@example.test`;

  let tenantId: string;
  let owner: FixtureUser;
  beforeEach(async () => {
    tenantId = await createTenant(db);
    owner = await createUser(db, tenantId, 'owner');
    mailer.failing = false;
  });

  it('invites, and the person accepting joins with the invited role, signed in; each step audited with it', async () => {
    const invited = email();
    const created = await invitations.create(owner.principal, { email: invited, role: 'operator' }, meta, BASE);
    expect(created.url).toBe(invitationUrl(BASE, created.token));
    expect(created.url).toBe(`${BASE}/invitations/accept#token=${created.token}`);
    expect(created.emailed).toBe(true);
    expect(mailer.sent.at(-1)).toMatchObject({ to: invited, url: created.url, role: 'operator', invitedBy: owner.email });
    expect(await invitations.preview(created.token)).toMatchObject({ email: invited, role: 'operator', expiresAt: created.expiresAt });

    const grant = await invitations.accept(created.token, { password: PASSWORD }, meta);
    expect(grant).toMatchObject({ user: { email: invited, role: 'operator' }, tenant: { id: tenantId }, restriction: null });

    const trail = await auditTrailOf(db, tenantId);
    expect(trail.map((e) => e.action).slice(-4)).toEqual(['invitation.created', 'invitation.accepted', 'user.created', 'auth.login_succeeded']);
    expect(trail.at(-1)).toMatchObject({ actor_id: grant.user.id, data: { method: 'invitation', invitation: created.id } });
    // The link is a credential: no event carries it.
    expect(JSON.stringify(trail)).not.toContain(created.token);
  });

  it('refuses to invite to a role the inviter does not hold, and writes nothing', async () => {
    const admin = await createUser(db, tenantId, 'admin');
    expect((await refusal(invitations.create(admin.principal, { email: email(), role: 'owner' }, meta, BASE))).code).toBe(ErrorCode.FORBIDDEN);
    const key = serviceKeyPrincipal(tenantId, ['custos:users:write', 'custos:users:read', ...ROLE_SCOPES.auditor]);
    for (const role of ['admin', 'operator'] satisfies Role[]) {
      expect((await refusal(invitations.create(key, { email: email(), role }, meta, BASE))).code).toBe(ErrorCode.SCOPE_ESCALATION);
    }
    expect((await invitations.create(key, { email: email(), role: 'auditor' }, meta, BASE)).role).toBe('auditor');
    const viewer = await createUser(db, tenantId, 'viewer');
    expect((await refusal(invitations.create(viewer.principal, { email: email(), role: 'viewer' }, meta, BASE))).code).toBe(ErrorCode.FORBIDDEN);
    expect((await invitations.list(key)).map((i) => i.role)).toEqual(['auditor']);
  });

  it('a link works once', async () => {
    const created = await invitations.create(owner.principal, { email: email(), role: 'viewer' }, meta, BASE);
    await invitations.accept(created.token, { password: PASSWORD }, meta);
    expect((await refusal(invitations.accept(created.token, { password: PASSWORD }, meta))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await refusal(invitations.preview(created.token))).code).toBe(ErrorCode.NOT_FOUND);
  });

  it('two accepts at once make one account', async () => {
    const created = await invitations.create(owner.principal, { email: email(), role: 'viewer' }, meta, BASE);
    const outcomes = await Promise.allSettled([
      invitations.accept(created.token, { password: PASSWORD }, meta),
      invitations.accept(created.token, { password: PASSWORD }, meta),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const trail = await auditTrailOf(db, tenantId);
    expect(trail.filter((e) => e.action === 'invitation.accepted')).toHaveLength(1);
  });

  it('an expired link is refused like an unknown one, and is not listed', async () => {
    const created = await invitations.create(owner.principal, { email: email(), role: 'viewer' }, meta, BASE);
    expect(new Date(created.expiresAt).getTime() - new Date(created.createdAt).getTime()).toBe(72 * 3_600_000);
    await expireInvitation(created.id);
    expect((await refusal(invitations.accept(created.token, { password: PASSWORD }, meta))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await refusal(invitations.preview(created.token))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await invitations.list(owner.principal)).map((i) => i.id)).not.toContain(created.id);
    // A new invitation of the same e-mail replaces it.
    const again = await invitations.create(owner.principal, { email: created.email, role: 'viewer' }, meta, BASE);
    expect((await invitations.accept(again.token, { password: PASSWORD }, meta)).user.email).toBe(created.email);
  });

  it('a new invitation of a pending e-mail revokes the old one, audited', async () => {
    const invited = email();
    const first = await invitations.create(owner.principal, { email: invited, role: 'viewer' }, meta, BASE);
    const second = await invitations.create(owner.principal, { email: invited.toUpperCase(), role: 'auditor' }, meta, BASE);
    expect((await refusal(invitations.accept(first.token, { password: PASSWORD }, meta))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await invitations.list(owner.principal)).map((i) => i.id)).toEqual([second.id]);
    const trail = await auditTrailOf(db, tenantId);
    expect(trail.slice(-2)).toMatchObject([
      { action: 'invitation.revoked', target_id: first.id, data: { replacedBy: second.id } },
      { action: 'invitation.created', target_id: second.id, data: { replaces: [first.id], role: 'auditor' } },
    ]);
    expect((await invitations.accept(second.token, { password: PASSWORD }, meta)).user.role).toBe('auditor');
  });

  it('refuses an e-mail that has an account already, in any tenant', async () => {
    const other = await createTenant(db);
    const taken = await createUser(db, other, 'viewer');
    expect((await refusal(invitations.create(owner.principal, { email: taken.email, role: 'viewer' }, meta, BASE))).code).toBe(ErrorCode.EMAIL_TAKEN);
  });

  it('refuses a password that breaks the rules, naming it, and writes nothing', async () => {
    const invited = email('rules');
    const created = await invitations.create(owner.principal, { email: invited, role: 'viewer' }, meta, BASE);
    const before = await auditTrailOf(db, tenantId);
    for (const password of ['too short', 'Qwerty123456', invited, `my ${invited.split('@')[0]} pass`]) {
      const error = await refusal(invitations.accept(created.token, { password }, meta));
      expect({ password, code: error.code, fields: error.fieldErrors.map((f) => f.field) }).toEqual({ password, code: ErrorCode.VALIDATION_FAILED, fields: expect.arrayContaining(['password']) });
    }
    expect(await auditTrailOf(db, tenantId)).toEqual(before);
    expect((await invitations.list(owner.principal)).map((i) => i.id)).toContain(created.id);
  });

  it('keeps tenants apart: another tenant neither lists nor revokes an invitation', async () => {
    const created = await invitations.create(owner.principal, { email: email(), role: 'viewer' }, meta, BASE);
    const otherTenant = await createTenant(db);
    const stranger = await createUser(db, otherTenant, 'owner');
    expect(await invitations.list(stranger.principal)).toEqual([]);
    expect((await refusal(invitations.revoke(stranger.principal, created.id, meta))).code).toBe(ErrorCode.NOT_FOUND);
    // The link itself still leads into its own tenant only.
    expect((await invitations.accept(created.token, { password: PASSWORD }, meta)).tenant.id).toBe(tenantId);
  });

  it('revokes: the link stops working, audited; revoking an owner invitation needs an owner', async () => {
    const created = await invitations.create(owner.principal, { email: email(), role: 'owner' }, meta, BASE);
    const admin = await createUser(db, tenantId, 'admin');
    expect((await refusal(invitations.revoke(admin.principal, created.id, meta))).code).toBe(ErrorCode.FORBIDDEN);
    await invitations.revoke(owner.principal, created.id, meta);
    expect((await refusal(invitations.accept(created.token, { password: PASSWORD }, meta))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await refusal(invitations.revoke(owner.principal, created.id, meta))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await auditTrailOf(db, tenantId)).at(-1)).toMatchObject({ action: 'invitation.revoked', target_id: created.id, actor_id: owner.id });
  });

  it('a mail server that refuses leaves the invitation standing, answered as not e-mailed', async () => {
    mailer.failing = true;
    const created = await invitations.create(owner.principal, { email: email(), role: 'viewer' }, meta, BASE);
    expect(created.emailed).toBe(false);
    expect(await invitations.preview(created.token)).toMatchObject({ email: created.email });
  });
});
