import { crc32 } from 'node:zlib';
import type { TokenEnvironment } from '@custos/contracts';
import { encodeBase62Fixed, randomBase62 } from './base62';

/**
 * Custos token: `cus_<env>_<lookupId><secret><checksum>`, all base62.
 *  - lookupId: 12 characters, public, finds the row; safe to show and log.
 *  - secret: 43 characters = 256.03 bits of entropy; only its HMAC is stored.
 *  - checksum: CRC32 of everything before it, 6 base62 characters, so scanners can reject look-alikes
 *    offline (as GitHub's tokens do).
 */
export const LOOKUP_ID_LENGTH = 12;
export const SECRET_LENGTH = 43;
export const CHECKSUM_LENGTH = 6;
const BODY_LENGTH = LOOKUP_ID_LENGTH + SECRET_LENGTH + CHECKSUM_LENGTH;

/** For secret scanners; documented in docs/token-format.md. */
export const TOKEN_PATTERN = new RegExp(`^cus_(live|test)_([0-9A-Za-z]{${BODY_LENGTH}})$`);
export const TOKEN_SCAN_PATTERN = `\\bcus_(?:live|test)_[0-9A-Za-z]{${BODY_LENGTH}}\\b`;
/**
 * The same shape with no word boundaries, for finding a token inside other text: in `x_<token>_y` or
 * `<token>X` no boundary surrounds it, yet the secret is all there (secrets-in-text.ts).
 */
export const TOKEN_IN_TEXT_PATTERN = `cus_(?:live|test)_[0-9A-Za-z]{${BODY_LENGTH}}`;

export interface ParsedToken {
  environment: TokenEnvironment;
  lookupId: string;
  /** The whole presented string: this is what gets HMACed. */
  raw: string;
}

function checksumOf(payload: string): string {
  return encodeBase62Fixed(crc32(payload), CHECKSUM_LENGTH);
}

export function generateToken(environment: TokenEnvironment): { raw: string; lookupId: string; last4: string } {
  const lookupId = randomBase62(LOOKUP_ID_LENGTH);
  const payload = `cus_${environment}_${lookupId}${randomBase62(SECRET_LENGTH)}`;
  const raw = payload + checksumOf(payload);
  return { raw, lookupId, last4: raw.slice(-4) };
}

/** Returns null for anything that is not a well-formed Custos token, without touching storage. */
export function parseToken(raw: string): ParsedToken | null {
  if (typeof raw !== 'string' || raw.length > 128) return null;
  const match = TOKEN_PATTERN.exec(raw);
  if (!match) return null;
  const payload = raw.slice(0, raw.length - CHECKSUM_LENGTH);
  if (checksumOf(payload) !== raw.slice(-CHECKSUM_LENGTH)) return null;
  return { environment: match[1] as TokenEnvironment, lookupId: match[2]!.slice(0, LOOKUP_ID_LENGTH), raw };
}
