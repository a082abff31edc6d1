import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import * as oidc from 'openid-client';

/** An IdP as a tenant configured it; the secret opened for this one use. */
export interface OidcIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** What a successful round trip through the IdP gives: the ID token's claims, with userinfo filling in what it left out. */
export type OidcClaims = Record<string, unknown> & { sub: string };

/** The IdP could not be used (discovery, the code exchange, the ID token's checks); `reason` is short, for admins and the log only. */
export class OidcFailure extends Error {
  constructor(
    readonly stage: 'discovery' | 'exchange',
    readonly reason: string,
  ) {
    super(`${stage}: ${reason}`);
    this.name = 'OidcFailure';
  }
}

/**
 * The relying party: OIDC discovery, the authorization URL (code flow, PKCE S256, state, nonce) and the
 * code exchange with the ID token's checks (signature, issuer, audience, expiry, nonce). A port, so the
 * use cases do not know openid-client; OpenIdClientRelyingParty is the one implementation.
 */
export interface OidcRelyingParty {
  /** Throws OidcFailure('discovery') when the issuer has no usable discovery document. */
  discover(idp: OidcIdp): Promise<void>;
  authorizationUrl(idp: OidcIdp, request: { redirectUri: string; state: string; nonce: string; codeVerifier: string }): Promise<string>;
  /** `callbackQuery`: the query the IdP sent the browser back with. Throws OidcFailure. */
  exchange(idp: OidcIdp, callback: { redirectUri: string; callbackQuery: string; state: string; nonce: string; codeVerifier: string }): Promise<OidcClaims>;
}

export const OIDC_RELYING_PARTY = Symbol('OIDC_RELYING_PARTY');

export interface SsoSettings {
  /** CUSTOS_SSO_ALLOW_HTTP_ISSUERS: a plain-http issuer (a local test IdP) may be used. */
  allowHttpIssuers: boolean;
}

export const SSO_SETTINGS = Symbol('SSO_SETTINGS');

/** A discovered IdP is reused this long: its keys and endpoints rarely change, and a sign-in should not wait on discovery twice. */
const DISCOVERY_TTL_MS = 5 * 60_000;
/** No IdP request waits longer than this. */
const IDP_TIMEOUT_SECONDS = 10;
const SCOPE = 'openid email profile';

/** openid-client v6 (panva), a certified relying party. */
@Injectable()
export class OpenIdClientRelyingParty implements OidcRelyingParty {
  private readonly discovered = new Map<string, { config: oidc.Configuration; until: number }>();

  constructor(@Inject(SSO_SETTINGS) private readonly settings: SsoSettings) {}

  async discover(idp: OidcIdp): Promise<void> {
    this.discovered.delete(this.keyOf(idp));
    await this.configOf(idp);
  }

  async authorizationUrl(idp: OidcIdp, request: { redirectUri: string; state: string; nonce: string; codeVerifier: string }): Promise<string> {
    const config = await this.configOf(idp);
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: request.redirectUri,
      response_type: 'code',
      scope: SCOPE,
      state: request.state,
      nonce: request.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(request.codeVerifier),
      code_challenge_method: 'S256',
    });
    return url.href;
  }

  async exchange(idp: OidcIdp, callback: { redirectUri: string; callbackQuery: string; state: string; nonce: string; codeVerifier: string }): Promise<OidcClaims> {
    const config = await this.configOf(idp);
    const current = new URL(callback.redirectUri);
    current.search = callback.callbackQuery;
    let claims: OidcClaims;
    let accessToken: string | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: callback.codeVerifier,
        expectedState: callback.state,
        expectedNonce: callback.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken) throw new OidcFailure('exchange', 'the IdP sent no ID token');
      claims = { ...idToken } as OidcClaims;
      accessToken = tokens.access_token;
    } catch (error) {
      throw error instanceof OidcFailure ? error : new OidcFailure('exchange', reasonOf(error));
    }
    if (claims.email === undefined && accessToken) {
      // Some IdPs put the e-mail in userinfo only: it fills in what the ID token left out, never overrides it.
      try {
        const info = await oidc.fetchUserInfo(config, accessToken, claims.sub);
        claims = { ...info, ...claims };
      } catch {
        // No userinfo: the ID token is all there is.
      }
    }
    return claims;
  }

  private async configOf(idp: OidcIdp): Promise<oidc.Configuration> {
    const key = this.keyOf(idp);
    const cached = this.discovered.get(key);
    if (cached && cached.until > Date.now()) return cached.config;
    let issuer: URL;
    try {
      issuer = new URL(idp.issuer);
    } catch {
      throw new OidcFailure('discovery', 'the issuer is not a URL');
    }
    const insecure = issuer.protocol === 'http:';
    if (insecure && !this.settings.allowHttpIssuers) throw new OidcFailure('discovery', 'the issuer must use https');
    try {
      const config = await oidc.discovery(issuer, idp.clientId, { client_secret: idp.clientSecret }, oidc.ClientSecretBasic(idp.clientSecret), {
        timeout: IDP_TIMEOUT_SECONDS,
        ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
      });
      this.discovered.set(key, { config, until: Date.now() + DISCOVERY_TTL_MS });
      return config;
    } catch (error) {
      throw new OidcFailure('discovery', reasonOf(error));
    }
  }

  private keyOf(idp: OidcIdp): string {
    return createHash('sha256').update(JSON.stringify([idp.issuer, idp.clientId, idp.clientSecret])).digest('base64url');
  }
}

/** A short reason from openid-client's error: for admins (a field error, a test's outcome) and the log, never for the person signing in. */
function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message.length > 160 ? `${error.message.slice(0, 160)}…` : error.message;
    return typeof code === 'string' ? `${code}: ${message}` : message;
  }
  return 'unknown error';
}
