import { randomBytes } from 'node:crypto';
import { BASE62_ALPHABET, encodeBase62Fixed, randomBase62 } from './tokens/base62';

export type IdKind = 'ten' | 'usr' | 'svc' | 'tok' | 'ses' | 'whk' | 'cns' | 'cnv' | 'ckp' | 'rpt';

/**
 * Public ids carry their kind (`tok_…`), then 8 base62 characters of milliseconds (sortable by creation)
 * and 14 random ones (~83 bits).
 */
export function newId(kind: IdKind, now = Date.now()): string {
  return `${kind}_${encodeBase62Fixed(now, 8)}${randomBase62(14)}`;
}

export function isId(kind: IdKind, value: unknown): value is string {
  return typeof value === 'string' && new RegExp(`^${kind}_[${BASE62_ALPHABET}]{22}$`).test(value);
}

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
