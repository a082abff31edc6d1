import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as every authenticator app reads it: SHA-1, six digits, 30-second steps. */
const PERIOD_SECONDS = 30;
const DIGITS = 6;
/** One step either side: a clock a little off, or a code typed as it changed, still counts. */
const WINDOW = 1;

function totpOf(base32Secret: string, account = '', issuer = ''): TOTP {
  return new TOTP({ issuer, label: account, algorithm: 'SHA1', digits: DIGITS, period: PERIOD_SECONDS, secret: Secret.fromBase32(base32Secret) });
}

/** A new TOTP secret (160 random bits, as RFC 4226 recommends), in base32 as authenticator apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app scans (the dashboard shows it as a QR code). */
export function totpUri(base32Secret: string, account: string, issuer: string): string {
  return totpOf(base32Secret, account, issuer).toString();
}

/**
 * The time step a code belongs to, if it is right for `at` give or take one step; null otherwise. The
 * caller accepts a step only once (a code must not be replayed within its window).
 */
export function totpStepOf(base32Secret: string, code: string, at: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpOf(base32Secret).validate({ token: code, timestamp: at.getTime(), window: WINDOW });
  return delta === null ? null : Math.floor(at.getTime() / 1000 / PERIOD_SECONDS) + delta;
}

/** The code for a moment: for tests and for tools that act as an authenticator app. */
export function totpCodeAt(base32Secret: string, at: Date): string {
  return totpOf(base32Secret).generate({ timestamp: at.getTime() });
}
