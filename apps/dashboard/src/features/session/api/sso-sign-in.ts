import { SSO_ERRORS, type SsoError } from '@custos/contracts';

/** The browser remembers the organization it last signed in to with SSO. */
export const SSO_SLUG_STORAGE_KEY = 'custos.sso.organization';

/** Why an SSO sign-in came back without a session, in words (the API says only the code). */
const MESSAGES: Record<SsoError, string> = {
  not_configured: 'This organization does not sign in with SSO. Check the organization name, or log in with your password.',
  idp_unavailable: "Your organization's identity provider could not be reached. Try again in a moment, or ask your administrator.",
  invalid_state: 'The sign-in took too long or was started in another browser. Try again.',
  idp_refused: 'Your identity provider did not sign you in.',
  invalid_response: "Your identity provider's answer could not be checked. Try again, or ask your administrator.",
  email_unverified: 'Your identity provider sent no verified e-mail address for you.',
  email_taken: 'Your e-mail address belongs to an account of another organization.',
};

/** The message for `?sso_error=`; null when there is none, a generic one when the code is unknown. */
export function ssoErrorMessage(code: string | null): string | null {
  if (code === null) return null;
  return (SSO_ERRORS as readonly string[]).includes(code) ? MESSAGES[code as SsoError] : 'The sign-in with SSO did not work. Try again.';
}

/** What a person types: the slug, as forgiving as the API (case and surrounding spaces do not matter). */
export function normalizeSlug(input: string): string {
  return input.trim().toLowerCase();
}

export const ssoStartUrl = (slug: string): string => `/v1/auth/sso/${encodeURIComponent(normalizeSlug(slug))}/start`;
