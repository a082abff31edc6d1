import { EventEmitter } from 'node:events';
import { INVITATION_TOKEN_PREFIX } from '@custos/contracts';
import { replaceSecrets } from '@custos/domain';
import { stdSerializers } from 'pino';

export const REDACTED = '[REDACTED]';

/**
 * Replaces Custos API tokens and session tokens found anywhere in free text, including glued to
 * other characters (`?q=<token>_x`, `\\n<token>` inside a JSON line): no word boundary is required,
 * so redacting is, if anything, a little too eager, which is harmless in a log.
 */
export function redactTokenStrings(text: string): string {
  const redacted = replaceSecrets(text, REDACTED);
  // An invitation's one-time token travels in the paths of its public routes (GET /v1/invitations/:token).
  return redacted.includes(INVITATION_TOKEN_PREFIX) ? redacted.replace(INVITATION_TOKENS, REDACTED) : redacted;
}

const INVITATION_TOKENS = new RegExp(`${INVITATION_TOKEN_PREFIX}[A-Za-z0-9_-]+`, 'g');

/** Applied to every finished log line (pino's `streamWrite` hook). */
export const redactTokenStringsInLogLine = redactTokenStrings;

/**
 * A request URL as it may be logged. A token whose characters were percent-encoded
 * (`cus%5Flive%5F…`) slips past the text redaction; such a URL is logged decoded, with the token
 * replaced. Anything else is logged as it came.
 */
export function redactUrl(url: string): string {
  if (!url.includes('%')) return redactTokenStrings(url);
  let decoded: string;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    return redactTokenStrings(url);
  }
  const redacted = redactTokenStrings(decoded);
  return redacted === decoded ? url : redacted;
}

/**
 * Keys whose values never belong in a log, matched case-insensitively at the end of the key so
 * that `adminPassword`, `clientSecret`, `sessionToken`, `x-csrf-token`, `set-cookie`,
 * `CUSTOS_TOKEN_PEPPER` and `tokenHash` are caught while public ids such as `tokenId` are not.
 */
const SENSITIVE_KEY =
  /(?:password|passphrase|secret|token|pepper|api[-_]?key|private[-_]?key|authorization|cookie)(?:[-_]?hash)?$/i;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

const MAX_DEPTH = 10;

/**
 * Returns `value` with every sensitive key's value replaced by `[REDACTED]`, at any depth.
 *
 * pino's own `redact` paths need one path per depth (`secret`, `*.secret`, `*.*.secret`, ...) and
 * measured ~50x slower per log line with the set this service needs, so the walk is done here,
 * once per log call. Nothing is mutated: objects on the way to a redacted value are copied, the
 * rest is shared. Errors become pino's serialized form so their own properties are walked too.
 * Deeper than MAX_DEPTH is cut off rather than risked.
 */
export function redactSecrets<T>(value: T): T {
  return walk(value, 0, new WeakSet()) as T;
}

function walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (!isWalkable(value)) return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  try {
    if (value instanceof Error) return walkObject(serializeError(value), depth, seen);
    if (Array.isArray(value)) return walkArray(value, depth, seen);
    return walkObject(value as Record<string, unknown>, depth, seen);
  } finally {
    seen.delete(value);
  }
}

// Streams, sockets and http messages (pino-http's `res`) have serializers of their own and are
// huge and cyclic; values with toJSON, binary data and collections are not plain records.
function isWalkable(value: object): boolean {
  if (value instanceof EventEmitter) return false;
  if (ArrayBuffer.isView(value) || value instanceof Map || value instanceof Set) return false;
  if (value instanceof Error || Array.isArray(value)) return true;
  return typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

function walkArray(items: readonly unknown[], depth: number, seen: WeakSet<object>): unknown[] {
  let copy: unknown[] | undefined;
  items.forEach((item, index) => {
    const next = walk(item, depth + 1, seen);
    if (next !== item) {
      copy ??= items.slice();
      copy[index] = next;
    }
  });
  return copy ?? (items as unknown[]);
}

// pino's form (type, message and stack with causes, own properties) is a fresh object the walk
// may share. It must not reach pino's err serializer again: that one is duck-typed and would
// serialize it a second time as type "Object" (hence wrapSerializers: false in the logger).
function serializeError(error: Error): Record<string, unknown> {
  return stdSerializers.err(error) as unknown as Record<string, unknown>;
}

function walkObject(record: Record<string, unknown>, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(record)) {
    const current = record[key];
    const next = isSensitiveKey(key) && current !== undefined ? REDACTED : walk(current, depth + 1, seen);
    if (next !== current) {
      copy ??= { ...record };
      copy[key] = next;
    }
  }
  return copy ?? record;
}
