import { encodeBase62Fixed, randomBase62 } from './tokens/base62';

export type IdKind = 'ten' | 'usr' | 'svc' | 'tok' | 'ses' | 'whk' | 'cns' | 'cnv' | 'ckp' | 'rpt' | 'alr' | 'arc' | 'ari' | 'mfa' | 'inv' | 'pky';

/**
 * Public ids carry their kind (`tok_…`), then 8 base62 characters of milliseconds (sortable by creation)
 * and 14 random ones (~83 bits).
 */
export function newId(kind: IdKind, now = Date.now()): string {
  return `${kind}_${encodeBase62Fixed(now, 8)}${randomBase62(14)}`;
}
