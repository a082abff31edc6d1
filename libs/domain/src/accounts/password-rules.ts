import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@custos/contracts';
import { DomainError } from '../errors/domain-error';

/**
 * The common passwords no account may use: the 100,000 most common of the xato "10 million passwords"
 * list (scripts/common-passwords.mjs says where it comes from and regenerates it). The build copies the
 * file beside the compiled code (scripts/copy-server-assets.mjs), so this path holds in dist/ as in the sources.
 */
export const COMMON_PASSWORDS_FILE = join(__dirname, 'common-passwords.txt.gz');

let common: ReadonlySet<string> | undefined;

/** Read on first use (a few megabytes of memory), lower-cased; then kept. */
function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(
    gunzipSync(readFileSync(COMMON_PASSWORDS_FILE))
      .toString('utf8')
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => line.toLowerCase()),
  );
  return common;
}

/** Whether the password is one of the common ones, whatever its case. */
export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.toLowerCase());
}

/**
 * Why a new password cannot be used, each as a sentence (none: it can). The rules of every password a
 * person chooses (sign-up, an accepted invitation, a password change, an account made by API, the
 * bootstrap owner): at least 12 characters, not a common password, not the e-mail nor its local part.
 * How it is stored (argon2id) is not a rule of this one.
 */
export function passwordProblems(password: string, context: { email: string }): string[] {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters long`);
  if (length > PASSWORD_MAX_LENGTH) problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters long`);
  const lower = password.toLowerCase();
  const email = context.email.trim().toLowerCase();
  const local = email.split('@')[0] ?? '';
  if (email.length > 0 && (lower === email || (local.length >= 3 && lower.includes(local)))) {
    problems.push('must not be or contain your e-mail address');
  }
  if (isCommonPassword(password)) problems.push('is one of the most common passwords: choose another');
  return problems;
}

/** Throws 400 VALIDATION_FAILED naming `field` with every rule the password breaks. */
export function assertPasswordAllowed(password: string, context: { email: string }, field = 'password'): void {
  const problems = passwordProblems(password, context);
  if (problems.length > 0) {
    throw DomainError.validation(
      problems.map((message) => ({ field, message })),
      'The password does not meet the password rules.',
    );
  }
}
