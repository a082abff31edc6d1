import type { TokenEnvironment } from '@custos/contracts';
import { replaceSecrets } from './secrets-in-text';
import { LOOKUP_ID_LENGTH, parseToken } from './token-format';

/**
 * What the `q` of the token lists searches for:
 *  - `lookupId`: a token or the start of one, as pasted — the full token (its secret is dropped here,
 *    only its public lookup id is kept) or the form the Token column shows, `cus_live_6Ady8…`,
 *    `cus_live_6Ady8HkL2mQp…x9Zq`: the environment and the start of the lookup id;
 *  - `text`: anything else, a prefix of the name (any case) or of the bare lookup id.
 */
export type TokenSearch =
  | { by: 'lookupId'; environment: TokenEnvironment; lookupIdPrefix: string }
  | { by: 'text'; text: string };

/**
 * The displayed form: `cus_<env>_`, then base62 (only the first LOOKUP_ID_LENGTH characters are the
 * lookup id), then optionally an ellipsis (`…` or `...`) and the last characters the hint shows.
 */
const DISPLAYED = /^cus_(live|test)_([0-9A-Za-z]*)(?:(?:…|\.{3})[0-9A-Za-z]{0,4})?$/;

/** Pure; never keeps a pasted secret: a token is reduced to its environment and lookup id. */
export function parseTokenSearch(q: string): TokenSearch {
  const text = q.trim();
  const token = parseToken(text);
  if (token) return { by: 'lookupId', environment: token.environment, lookupIdPrefix: token.lookupId };
  const shown = DISPLAYED.exec(text);
  if (shown) {
    return { by: 'lookupId', environment: shown[1] as TokenEnvironment, lookupIdPrefix: shown[2]!.slice(0, LOOKUP_ID_LENGTH) };
  }
  return { by: 'text', text };
}

/**
 * The search as it may be stored or logged (an audit event's filter): the displayed form for a
 * token, and text with any token inside it replaced.
 */
export function describeTokenSearch(search: TokenSearch): string {
  return search.by === 'lookupId' ? `cus_${search.environment}_${search.lookupIdPrefix}…` : replaceSecrets(search.text, '[REDACTED]');
}
