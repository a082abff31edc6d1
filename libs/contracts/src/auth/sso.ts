/** Single sign-on (OIDC): what the api and the dashboard share. */

/** The one redirect URI of an installation: registered at every tenant's IdP, under the public URL. */
export const SSO_CALLBACK_PATH = '/v1/auth/sso/callback';

/** A tenant's slug: lower-case letters, digits and inner dashes, up to 63 characters. */
export const TENANT_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Why an SSO sign-in did not end in a session: the dashboard's log-in page reads it from `?sso_error=`
 * and says it in words. Never more than the code: no stack, no IdP error text.
 */
export const SSO_ERRORS = [
  /** No organization with this slug, or it has no SSO. */
  'not_configured',
  /** The IdP could not be reached or its discovery document is wrong. */
  'idp_unavailable',
  /** The sign-in came back without a known state (expired, used already, another browser). */
  'invalid_state',
  /** The IdP refused or the person cancelled. */
  'idp_refused',
  /** The code exchange or the ID token's checks (issuer, audience, nonce, signature) failed. */
  'invalid_response',
  /** The IdP sent no e-mail, or one it says is not verified. */
  'email_unverified',
  /** The e-mail belongs to an account of another organization. */
  'email_taken',
] as const;
export type SsoError = (typeof SSO_ERRORS)[number];

/** The dashboard's pages an SSO round trip ends on. */
export const SSO_LOGIN_PAGE = '/login';
export const SSO_TEST_RESULT_PAGE = '/settings';
