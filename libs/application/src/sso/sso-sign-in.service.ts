import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type SsoError } from '@custos/contracts';
import { ssoRoleOf, type SsoRoleRule } from '@custos/domain';
import { PasswordHasher, SecretBox, safeEqual, sha256Hex } from '@custos/crypto';
import { Database, PG_UNIQUE_VIOLATION, SsoRepository, TenantRepository, UserRepository, pgErrorCode, type SsoConfig, type SsoTestOutcome, type Tx, type UserEntity } from '@custos/persistence';
import { AuditLog } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { AuthService, type SessionGrant } from '../accounts/auth.service';
import { requireScope } from '../shared/require-scope';
import { OIDC_RELYING_PARTY, OidcFailure, type OidcClaims, type OidcIdp, type OidcRelyingParty } from './oidc-relying-party';
import { SSO_CLIENT_SECRET_PURPOSE } from './sso-config.service';

/** How a pending sign-in's PKCE code verifier is sealed; the context is the tenant id and the state's hash. */
export const SSO_VERIFIER_PURPOSE = 'sso-pkce-verifier';
/** A person has ten minutes at their IdP. */
export const SSO_STATE_TTL_MS = 10 * 60_000;

/** Where the browser goes to sign in, and the state to keep in its cookie until it comes back. */
export interface SsoStart {
  authorizationUrl: string;
  state: string;
}

/** How a callback ended: a session, a test's report, or an error code for the log-in page. */
export type SsoCallbackOutcome =
  | { kind: 'session'; grant: SessionGrant; created: boolean }
  | { kind: 'test'; outcome: SsoTestOutcome }
  | { kind: 'error'; error: SsoError };

class SsoRefusal extends Error {
  constructor(
    readonly error: SsoError,
    readonly detail: string,
  ) {
    super(`${error}: ${detail}`);
  }
}

/**
 * Signing in through a tenant's IdP (OIDC authorization code flow with PKCE S256, state and nonce):
 * start sends the browser to the IdP; the callback takes the state once, exchanges the code, checks
 * the ID token (openid-client: signature, issuer, audience, expiry, nonce), and signs in the person
 * with that e-mail in this tenant, created on their first sign-in with the role the claims map to.
 * A test sign-in (an owner or admin trying the configuration) reports what came back and changes no one.
 */
@Injectable()
export class SsoSignInService {
  private readonly logger = new Logger(SsoSignInService.name);

  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly box: SecretBox,
    private readonly passwords: PasswordHasher,
    private readonly auth: AuthService,
    @Inject(SsoRepository) private readonly sso: Pick<SsoRepository, 'get' | 'insertState' | 'tenantOfState' | 'takeState' | 'recordTest'>,
    @Inject(TenantRepository) private readonly tenants: Pick<TenantRepository, 'tenantOfSlug'>,
    @Inject(UserRepository) private readonly users: Pick<UserRepository, 'findByEmail' | 'insert' | 'loginTenantOf'>,
    @Inject(OIDC_RELYING_PARTY) private readonly rp: Pick<OidcRelyingParty, 'authorizationUrl' | 'exchange'>,
  ) {}

  /**
   * The IdP's authorization URL for the tenant the slug names. `tester`: a test sign-in, which only an
   * owner or admin of that tenant may start. An unknown slug and a tenant without SSO answer alike.
   */
  async start(slug: string, redirectUri: string, tester: Principal | null): Promise<SsoStart | { error: SsoError }> {
    const tenantId = await this.db.system((tx) => this.tenants.tenantOfSlug(tx, slug));
    if (!tenantId) return { error: 'not_configured' };
    if (tester) {
      if (tester.tenantId !== tenantId) return { error: 'not_configured' };
      requireScope(tester, 'custos:policy:write');
    }
    const config = await this.db.tenant(tenantId, (tx) => this.sso.get(tx));
    if (!config) return { error: 'not_configured' };
    const state = randomBytes(32).toString('base64url');
    const nonce = randomBytes(32).toString('base64url');
    const codeVerifier = randomBytes(48).toString('base64url');
    const stateHash = sha256Hex(state);
    let authorizationUrl: string;
    try {
      authorizationUrl = await this.rp.authorizationUrl(this.idpOf(tenantId, config), { redirectUri, state, nonce, codeVerifier });
    } catch (error) {
      if (!(error instanceof OidcFailure)) throw error;
      this.logger.warn(`SSO start for tenant ${tenantId}: ${error.message}`);
      return { error: 'idp_unavailable' };
    }
    await this.db.tenant(tenantId, (tx) =>
      this.sso.insertState(tx, {
        stateHash,
        nonce,
        codeVerifierSealed: this.box.seal(SSO_VERIFIER_PURPOSE, `${tenantId}/${stateHash}`, codeVerifier),
        testByUserId: tester?.id ?? null,
        expiresAt: new Date(Date.now() + SSO_STATE_TTL_MS),
      }),
    );
    return { authorizationUrl, state };
  }

  /**
   * The IdP sent the browser back. `state` is the query's, `cookieState` the one this browser was given
   * at the start: they must be the same (a callback from another browser, or forged, is refused), and
   * the state is good once, for ten minutes.
   */
  async callback(input: { callbackQuery: string; state: string | null; cookieState: string | null; redirectUri: string }, meta: RequestMeta): Promise<SsoCallbackOutcome> {
    const { state, cookieState } = input;
    if (!state || !cookieState || state.length > 200 || !safeEqual(state, cookieState)) return this.refused('invalid_state', 'the state is missing or not this browser’s');
    const stateHash = sha256Hex(state);
    const tenantId = await this.db.system((tx) => this.sso.tenantOfState(tx, stateHash));
    if (!tenantId) return this.refused('invalid_state', 'unknown, expired or used state');
    const taken = await this.db.tenant(tenantId, async (tx) => {
      const pending = await this.sso.takeState(tx, stateHash);
      const config = pending ? await this.sso.get(tx) : null;
      return pending && config ? { pending, config } : null;
    });
    if (!taken) return this.refused('invalid_state', 'the state was used meanwhile, or SSO was removed');
    const { pending, config } = taken;
    const test = pending.testByUserId;
    try {
      const params = new URLSearchParams(input.callbackQuery);
      if (params.has('error')) throw new SsoRefusal('idp_refused', `the IdP answered ${params.get('error')!.slice(0, 100)}`);
      let claims: OidcClaims;
      try {
        claims = await this.rp.exchange(this.idpOf(tenantId, config), {
          redirectUri: input.redirectUri,
          callbackQuery: input.callbackQuery,
          state,
          nonce: pending.nonce,
          codeVerifier: this.box.open(SSO_VERIFIER_PURPOSE, `${tenantId}/${stateHash}`, pending.codeVerifierSealed),
        });
      } catch (error) {
        if (!(error instanceof OidcFailure)) throw error;
        throw new SsoRefusal(error.stage === 'discovery' ? 'idp_unavailable' : 'invalid_response', error.reason);
      }
      const email = emailOf(claims);
      const role = ssoRoleOf(claims, ruleOf(config));
      if (test) return { kind: 'test', outcome: await this.recordTest(tenantId, test, { claims, email, role, config }) };
      if (!email) throw new SsoRefusal('email_unverified', 'the IdP sent no e-mail, or one it has not verified');
      return await this.signIn(tenantId, email, role, claims, meta);
    } catch (error) {
      if (!(error instanceof SsoRefusal)) throw error;
      if (test) return { kind: 'test', outcome: await this.recordTestFailure(tenantId, test, error) };
      return this.refused(error.error, `tenant ${tenantId}: ${error.detail}`);
    }
  }

  private async signIn(tenantId: string, email: string, role: SsoRoleRule['defaultRole'], claims: OidcClaims, meta: RequestMeta): Promise<SsoCallbackOutcome> {
    const home = await this.db.system((tx) => this.users.loginTenantOf(tx, email));
    if (home && home !== tenantId) throw new SsoRefusal('email_taken', 'the e-mail belongs to an account of another organization');
    // Only when the person is new: the slow hash runs outside the transaction.
    const unusable = home ? null : await this.passwords.hash(randomBytes(32).toString('base64url'));
    try {
      return await this.db.tenant(tenantId, async (tx) => {
        const existing = await this.users.findByEmail(tx, email);
        const user = existing ?? (await this.createUser(tx, email, role, unusable ?? (await this.passwords.hash(randomBytes(32).toString('base64url'))), claims, meta));
        const grant = await this.auth.startSignedIn(tx, user, meta, { method: 'sso', mfaVerified: false, hasMfa: user.totpEnabledAt !== null }, { issuer: claims.iss, subject: claims.sub });
        return { kind: 'session' as const, grant, created: existing === null };
      });
    } catch (error) {
      // Another organization took the e-mail between the check and the insert.
      if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw new SsoRefusal('email_taken', 'the e-mail belongs to an account of another organization');
      throw error;
    }
  }

  /** Just in time: the person's first sign-in creates them, with a password nobody knows (SSO is how they sign in). */
  private async createUser(tx: Tx, email: string, role: SsoRoleRule['defaultRole'], passwordHash: string, claims: OidcClaims, meta: RequestMeta): Promise<UserEntity> {
    const user = await this.users.insert(tx, { email, passwordHash, role });
    await this.audit.record(tx, meta, {
      action: 'user.created',
      actor: { type: 'user', id: user.id },
      target: { type: 'user', id: user.id },
      data: { email: user.email, role: user.role, via: 'sso', issuer: claims.iss, subject: claims.sub },
    });
    return user;
  }

  private async recordTest(tenantId: string, by: string, found: { claims: OidcClaims; email: string | null; role: SsoRoleRule['defaultRole']; config: SsoConfig }): Promise<SsoTestOutcome> {
    const { claims, email, role, config } = found;
    return this.db.tenant(tenantId, async (tx) => {
      const existingUser = email ? (await this.users.findByEmail(tx, email)) !== null : false;
      const outcome: SsoTestOutcome = {
        at: new Date().toISOString(),
        by,
        ok: email !== null,
        ...(email === null ? { error: 'email_unverified: the IdP sent no e-mail, or one it has not verified' } : {}),
        claims: {
          sub: claims.sub,
          email: typeof claims.email === 'string' ? claims.email : null,
          emailVerified: typeof claims.email_verified === 'boolean' ? claims.email_verified : null,
          name: typeof claims.name === 'string' ? claims.name : null,
          roleClaim: config.roleClaim ? (claims[config.roleClaim] ?? null) : null,
        },
        mappedRole: role,
        existingUser,
      };
      await this.sso.recordTest(tx, outcome);
      return outcome;
    });
  }

  private async recordTestFailure(tenantId: string, by: string, refusal: SsoRefusal): Promise<SsoTestOutcome> {
    const outcome: SsoTestOutcome = { at: new Date().toISOString(), by, ok: false, error: `${refusal.error}: ${refusal.detail}`.slice(0, 300) };
    await this.db.tenant(tenantId, (tx) => this.sso.recordTest(tx, outcome));
    return outcome;
  }

  private refused(error: SsoError, detail: string): SsoCallbackOutcome {
    this.logger.warn(`SSO sign-in refused (${error}): ${detail}`);
    return { kind: 'error', error };
  }

  private idpOf(tenantId: string, config: SsoConfig): OidcIdp {
    return { issuer: config.issuer, clientId: config.clientId, clientSecret: this.box.open(SSO_CLIENT_SECRET_PURPOSE, tenantId, config.clientSecretSealed) };
  }
}

function ruleOf(config: SsoConfig): SsoRoleRule {
  return { roleClaim: config.roleClaim, roleMapping: config.roleMapping, defaultRole: config.defaultRole };
}

/** The e-mail the IdP vouches for: present, and not marked unverified (an IdP that says nothing is believed). */
export function emailOf(claims: Readonly<Record<string, unknown>>): string | null {
  const email = claims.email;
  if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 320) return null;
  const verified = claims.email_verified;
  if (verified === false || verified === 'false') return null;
  return email;
}
