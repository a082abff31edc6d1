import { randomBytes } from 'node:crypto';
import { PasswordHasher, SecretBox, TokenHasher } from '@custos/crypto';
import { CountryLookup, type ClientAddress } from '@custos/domain';
import {
  AlertRepository,
  InstallationRepository,
  TokenRepository,
  LoginChallengeRepository,
  PasskeyRepository,
  PolicyRepository,
  SessionRepository,
  SsoRepository,
  TenantRepository,
  UserRepository,
  type Database,
} from '@custos/persistence';
import { AuthService } from '../accounts/auth.service';
import { SignInAlerts } from '../accounts/sign-in-alerts';
import { AlertRaiser } from '../alerts/alert-raiser';
import { TokenCache } from '../verify/token-cache';
import { TokenChanges } from '../feed/token-changes';
import { MfaService } from '../accounts/mfa.service';
import { SessionsService } from '../accounts/sessions.service';
import type { LoginThrottle } from '../accounts/login-throttle';
import { SecondFactor } from '../accounts/second-factor';
import { SessionStarter } from '../accounts/session-starter';
import { WebauthnCeremonies, type WebauthnSettings } from '../passkeys/webauthn-ceremonies';
import type { AuditLog } from '../audit/audit-log';
import type { ApplicationSettings } from '../shared/settings';

/** Every public address is in one country, which a test may move (a person travelling). */
export class OneCountry extends CountryLookup {
  constructor(public country: string) {
    super();
  }
  countryOfClient(client: ClientAddress): string | null {
    return client.isPublic ? this.country : null;
  }
}

export const TEST_SETTINGS: ApplicationSettings = { sessionTtlSeconds: 3600, verifyCacheTtlMs: 1000, usageFlushIntervalMs: 1000, loginMinResponseMs: 0 };

/** The relying party of medium tests: a dashboard at http://localhost:3000 (the software authenticator of @custos/testing signs for it). */
export const TEST_WEBAUTHN: WebauthnSettings = { rpId: 'localhost', rpName: 'Custos', origins: ['http://localhost:3000'] };

/** The sign-in use cases with their real repositories on a medium test's database (Nest's AccountsModule wires the same). */
export function authOn(db: Database, audit: AuditLog, throttle: LoginThrottle, settings: Partial<ApplicationSettings> = {}) {
  const box = new SecretBox(randomBytes(32).toString('base64url'));
  const hasher = new TokenHasher({ id: 'medium', secret: randomBytes(32).toString('hex') });
  const users = new UserRepository();
  const sessions = new SessionRepository();
  const policies = new PolicyRepository();
  const all = { ...TEST_SETTINGS, ...settings };
  const countries = new OneCountry('DE');
  const starter = new SessionStarter(hasher, countries, all, sessions, policies);
  const passkeys = new PasskeyRepository();
  const webauthn = new WebauthnCeremonies(TEST_WEBAUTHN, passkeys);
  const secondFactor = new SecondFactor(box, hasher, users, webauthn);
  const raiser = new AlertRaiser(audit, new TokenChanges(new TokenCache(all)), new AlertRepository(), new TokenRepository());
  const auth = new AuthService(
    db,
    audit,
    new PasswordHasher(),
    starter,
    secondFactor,
    new SignInAlerts(raiser, users, policies),
    all,
    throttle,
    users,
    sessions,
    new TenantRepository(),
    policies,
    new InstallationRepository(),
    new LoginChallengeRepository(),
    new SsoRepository(),
    passkeys,
  );
  const tenants = new TenantRepository();
  const mfa = new MfaService(db, audit, box, secondFactor, throttle, users, sessions, tenants);
  const sessionsService = new SessionsService(db, audit, sessions, users);
  return { auth, countries, mfa, sessionsService, starter, secondFactor, box, hasher, users, sessions, policies, passkeys, webauthn };
}
