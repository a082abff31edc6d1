import { TOKEN_IN_TEXT_PATTERN } from './token-format';

/** Session tokens (the `custos_session` cookie) are this prefix and 43 base64url characters. */
export const SESSION_TOKEN_PREFIX = 'cus_session_';

// 20 characters and more: shorter runs are ordinary words (`cus_session_timeout`), longer ones are
// treated as a session token even if a character or two was lost when it was pasted.
const SESSION_IN_TEXT_PATTERN = `${SESSION_TOKEN_PREFIX}[A-Za-z0-9_-]{20,}`;

/**
 * Either secret anywhere in a text, word boundaries or not. Deliberately the shape only, not the
 * checksum: a token with a typo is still most of a secret.
 */
const SECRET_IN_TEXT = new RegExp(`${TOKEN_IN_TEXT_PATTERN}|${SESSION_IN_TEXT_PATTERN}`);
const SECRETS_IN_TEXT = new RegExp(SECRET_IN_TEXT.source, 'g');

/** Whether `text` carries a Custos token or session token anywhere in it. */
export function containsSecret(text: string): boolean {
  // Both shapes start with `cus_`: most texts are settled by this one scan.
  return text.includes('cus_') && SECRET_IN_TEXT.test(text);
}

/** `text` with every Custos token and session token in it replaced by `replacement`. */
export function replaceSecrets(text: string, replacement: string): string {
  return text.includes('cus_') ? text.replace(SECRETS_IN_TEXT, replacement) : text;
}
