import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, type SessionMethod, type SessionRestriction } from '@custos/contracts';
import { DomainError, SESSION_TOKEN_PREFIX, authPolicyOf, clientAddressOf, CountryLookup, newId } from '@custos/domain';
import { TokenHasher, sha256Hex } from '@custos/crypto';
import { PolicyRepository, SessionRepository, type Tx, type UserEntity } from '@custos/persistence';
import type { RequestMeta } from '../auth/principal';
import { APPLICATION_SETTINGS, type ApplicationSettings } from '../shared/settings';
import { toUserView, type TenantView, type UserView } from './views';

export interface SessionGrant {
  user: UserView;
  tenant: TenantView;
  csrfToken: string;
  /** Goes into the httpOnly cookie only. */
  sessionToken: string;
  expiresAt: Date;
  /** What the session may do before anything else: enrol MFA, or change a password someone else chose. */
  restriction: SessionRestriction | null;
  /** Where the sign-in came from, if known: for the new-country alert. */
  country: string | null;
}

/** How the person proved who they are. */
export interface SessionStart {
  method: SessionMethod;
  /** A second factor was checked on the way in: step-up is fresh from the start. */
  mfaVerified: boolean;
  /** The person has a second factor enrolled (a policy that requires one is then met). */
  hasMfa: boolean;
}

/** The longest device description kept: a browser's user agent, cut short. */
const DEVICE_MAX = 200;

/**
 * Starts a dashboard session for a person who just proved who they are, whichever way (password and
 * second factor, SSO, an accepted invitation, sign-up). Only the session token's SHA-256 is stored; the
 * address is kept as its network prefix and country, never whole. A session owed an MFA enrolment (the
 * tenant's policy requires it for the role) or a password change can do only that.
 */
@Injectable()
export class SessionStarter {
  constructor(
    private readonly hasher: TokenHasher,
    private readonly countries: CountryLookup,
    @Inject(APPLICATION_SETTINGS) private readonly settings: ApplicationSettings,
    @Inject(SessionRepository) private readonly sessions: Pick<SessionRepository, 'insert'>,
    @Inject(PolicyRepository) private readonly policies: Pick<PolicyRepository, 'get'>,
  ) {}

  async start(tx: Tx, user: UserEntity, tenant: TenantView, meta: RequestMeta, how: SessionStart): Promise<SessionGrant> {
    const policy = authPolicyOf((await this.policies.get(tx)).auth);
    const restriction: SessionRestriction | null = user.passwordChangeRequired
      ? 'password_change'
      : policy.requireMfaForRoles.includes(user.role) && !how.hasMfa
        ? 'mfa_enrolment'
        : null;
    const sessionToken = SESSION_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const now = new Date();
    const lifetimeMs = Math.min(this.settings.sessionTtlSeconds * 1000, policy.absoluteHours * 3_600_000);
    const expiresAt = new Date(now.getTime() + lifetimeMs);
    const client = meta.ip ? clientAddressOf(meta.ip) : null;
    const country = client?.isPublic ? this.countries.countryOfClient(client) : null;
    await this.sessions.insert(tx, {
      id: newId('ses'),
      userId: user.id,
      tokenHash: sha256Hex(sessionToken),
      createdAt: now,
      expiresAt,
      method: how.method,
      mfaAt: how.mfaVerified ? now : null,
      restriction,
      device: meta.userAgent ? meta.userAgent.slice(0, DEVICE_MAX) : null,
      ipPrefix: client?.network ?? null,
      country,
    });
    return { user: toUserView(user), tenant, csrfToken: this.csrfTokenFor(sessionToken), sessionToken, expiresAt, restriction, country };
  }

  /** The CSRF token is derived from the session, so nothing extra is stored and it dies with it. */
  csrfTokenFor(sessionToken: string): string {
    return this.hasher.derive('csrf', sessionToken);
  }
}

/** A session owed enrolment or a password change is refused everything else with this error. */
export function restrictedSession(restriction: SessionRestriction): DomainError {
  return restriction === 'mfa_enrolment'
    ? new DomainError(ErrorCode.MFA_ENROLMENT_REQUIRED, 'Your organization requires multi-factor authentication: enrol a method first.')
    : new DomainError(ErrorCode.PASSWORD_CHANGE_REQUIRED, 'Choose a new password first: this one was set by someone else.');
}
