import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode, INVITATION_TOKEN_PREFIX, type Role } from '@custos/contracts';
import { DomainError, assertCanAssignRole, assertPasswordAllowed, newId } from '@custos/domain';
import { PasswordHasher, sha256Hex } from '@custos/crypto';
import { Database, InvitationRepository, TenantRepository, UserRepository, type InvitationRow } from '@custos/persistence';
import { AuditLog, actorOf } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { AuthService, type SessionGrant } from '../accounts/auth.service';
import { userConflict } from '../accounts/user-conflict';
import { requireScope } from '../shared/require-scope';
import { INVITATION_MAILER, type InvitationMailer } from './invitation-mailer';

/** An invitation's link works for 72 hours. */
export const INVITATION_TTL_MS = 72 * 3_600_000;
/** The token's length: the prefix and 32 random bytes in base64url. */
const TOKEN_MAX_LENGTH = 100;

/** A pending invitation as its tenant's people see it: never the link. */
export interface InvitationView {
  id: string;
  email: string;
  role: Role;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
}

/** A new invitation: its link is shown to the inviter this once. */
export interface CreatedInvitation extends InvitationView {
  token: string;
  url: string;
  /** Whether the link also went out by e-mail (SMTP_URL configured and the server took it). */
  emailed: boolean;
}

/** What the accept page shows before the person chooses a password. */
export interface InvitationPreview {
  email: string;
  role: Role;
  organization: string;
  expiresAt: string;
}

const toView = (i: InvitationRow): InvitationView => ({
  id: i.id,
  email: i.email,
  role: i.role,
  invitedBy: i.invitedBy,
  createdAt: i.createdAt.toISOString(),
  expiresAt: i.expiresAt.toISOString(),
});

/** The accept page of the dashboard; the token goes in the fragment, which browsers never send to a server. */
export function invitationUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/invitations/accept#token=${token}`;
}

/**
 * Invitations: a person joins a tenant by a one-time link, valid 72 hours, and chooses their own password
 * on accepting it (nobody else ever knows it). The role follows the rule that nobody grants what they do
 * not hold; one invitation per e-mail waits at a time (a new one revokes the old).
 */
@Injectable()
export class InvitationsService {
  private readonly logger = new Logger(InvitationsService.name);

  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly passwords: PasswordHasher,
    private readonly auth: AuthService,
    @Inject(INVITATION_MAILER) private readonly mailer: InvitationMailer,
    @Inject(InvitationRepository) private readonly invitations: InvitationRepository,
    @Inject(UserRepository) private readonly users: Pick<UserRepository, 'loginTenantOf' | 'insert'>,
    @Inject(TenantRepository) private readonly tenants: Pick<TenantRepository, 'current'>,
  ) {}

  /**
   * Invites `email` with `role`; the link's page is under `baseUrl` (the dashboard's public address). The
   * e-mail goes out after the commit, when a mail server is configured; a failure to send is logged and
   * answered as `emailed: false`, the invitation stands.
   */
  async create(principal: Principal, input: { email: string; role: Role }, meta: RequestMeta, baseUrl: string): Promise<CreatedInvitation> {
    requireScope(principal, 'custos:users:write');
    assertCanAssignRole(principal, input.role);
    const email = input.email.trim();
    // E-mails are unique across tenants: an account with it cannot accept anywhere.
    if (await this.db.system((tx) => this.users.loginTenantOf(tx, email))) {
      throw new DomainError(ErrorCode.EMAIL_TAKEN, 'An account with this e-mail already exists.', [{ field: 'email', message: 'is already registered' }]);
    }
    const token = INVITATION_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const now = new Date();
    const { invitation, organization } = await this.db.tenant(principal.tenantId, async (tx) => {
      const replaced = await this.invitations.revokeOpenFor(tx, email, now);
      const created = await this.invitations.insert(tx, {
        id: newId('inv'),
        email,
        role: input.role,
        tokenHash: sha256Hex(token),
        invitedBy: principal.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
      });
      const actor = actorOf(principal);
      await this.audit.record(
        tx,
        meta,
        ...replaced.map((old) => ({
          action: 'invitation.revoked' as const,
          actor,
          target: { type: 'invitation', id: old.id },
          data: { email: old.email, role: old.role, replacedBy: created.id },
        })),
        {
          action: 'invitation.created',
          actor,
          target: { type: 'invitation', id: created.id },
          data: { email: created.email, role: created.role, expiresAt: created.expiresAt.toISOString(), ...(replaced.length > 0 ? { replaces: replaced.map((r) => r.id) } : {}) },
        },
      );
      return { invitation: created, organization: (await this.tenants.current(tx)).name };
    });
    const url = invitationUrl(baseUrl, token);
    const emailed = await this.mail({
      to: invitation.email,
      url,
      organization,
      role: invitation.role,
      invitedBy: principal.email ?? principal.name ?? principal.id,
      expiresAt: invitation.expiresAt,
    });
    return { ...toView(invitation), token, url, emailed };
  }

  private async mail(mail: Parameters<InvitationMailer['send']>[0]): Promise<boolean> {
    if (!this.mailer.enabled) return false;
    try {
      await this.mailer.send(mail);
      return true;
    } catch (error) {
      // Never the link: it is a credential until accepted.
      this.logger.warn(`could not e-mail an invitation: ${(error as Error).message}`);
      return false;
    }
  }

  /** The invitations waiting for an answer, newest first; expired ones are not shown. */
  async list(principal: Principal): Promise<InvitationView[]> {
    requireScope(principal, 'custos:users:read');
    const rows = await this.db.tenant(principal.tenantId, (tx) => this.invitations.listPending(tx, new Date()));
    return rows.map(toView);
  }

  /** Revokes an invitation not yet accepted: its link stops working at once. */
  async revoke(principal: Principal, id: string, meta: RequestMeta): Promise<void> {
    requireScope(principal, 'custos:users:write');
    await this.db.tenant(principal.tenantId, async (tx) => {
      const revoked = await this.invitations.revoke(tx, id, new Date());
      if (!revoked) throw DomainError.notFound('The invitation');
      // Undoing an invitation is acting on its role: the same rule as granting it.
      assertCanAssignRole(principal, revoked.role);
      await this.audit.record(tx, meta, {
        action: 'invitation.revoked',
        actor: actorOf(principal),
        target: { type: 'invitation', id: revoked.id },
        data: { email: revoked.email, role: revoked.role },
      });
    });
  }

  /** What the accept page shows; NOT_FOUND when the link is unknown, expired, revoked or used. */
  async preview(token: string): Promise<InvitationPreview> {
    const found = await this.findPending(token);
    if (!found) throw gone();
    return this.db.tenant(found.tenantId, async (tx) => {
      const invitation = await this.invitations.findPending(tx, sha256Hex(token), { lock: false });
      if (!invitation) throw gone();
      const tenant = await this.tenants.current(tx);
      return { email: invitation.email, role: invitation.role, organization: tenant.name, expiresAt: invitation.expiresAt.toISOString() };
    });
  }

  /**
   * Accepts the invitation: creates the person with the invited role and the password they chose (the
   * password rules apply), marks the link used, and signs them in, all in one transaction. A link works once.
   */
  async accept(token: string, input: { password: string }, meta: RequestMeta): Promise<SessionGrant> {
    const found = await this.findPending(token);
    if (!found) throw gone();
    const preview = await this.db.tenant(found.tenantId, (tx) => this.invitations.findPending(tx, sha256Hex(token), { lock: false }));
    if (!preview) throw gone();
    assertPasswordAllowed(input.password, { email: preview.email });
    // The slow hash runs outside any transaction: it must not hold a connection.
    const passwordHash = await this.passwords.hash(input.password);
    try {
      return await this.db.tenant(found.tenantId, async (tx) => {
        const invitation = await this.invitations.findPending(tx, sha256Hex(token), { lock: true });
        if (!invitation) throw gone();
        const user = await this.users.insert(tx, { email: invitation.email, passwordHash, role: invitation.role });
        const now = new Date();
        await this.invitations.markAccepted(tx, invitation.id, user.id, now);
        const actor = { type: 'user' as const, id: user.id };
        await this.audit.record(
          tx,
          meta,
          {
            action: 'invitation.accepted',
            actor,
            target: { type: 'invitation', id: invitation.id },
            data: { email: invitation.email, role: invitation.role, invitedBy: invitation.invitedBy },
          },
          { action: 'user.created', actor, target: { type: 'user', id: user.id }, data: { email: user.email, role: user.role, invitation: invitation.id } },
        );
        return this.auth.startSignedIn(tx, user, meta, { method: 'invitation', mfaVerified: false, hasMfa: false }, { invitation: invitation.id });
      });
    } catch (error) {
      throw userConflict(error);
    }
  }

  /** The tenant of a pending invitation, from its token (a system transaction: no tenant is known yet). */
  private async findPending(token: string): Promise<{ tenantId: string } | null> {
    if (!token.startsWith(INVITATION_TOKEN_PREFIX) || token.length > TOKEN_MAX_LENGTH) return null;
    const tenantId = await this.db.system((tx) => this.invitations.tenantOf(tx, sha256Hex(token)));
    return tenantId ? { tenantId } : null;
  }
}

/** Unknown, expired, revoked and used links answer alike: the page cannot tell which. */
function gone(): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, 'This invitation was not found: it may have expired, been revoked or been used already.');
}
