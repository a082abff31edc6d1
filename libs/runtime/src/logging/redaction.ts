import { EventEmitter } from 'node:events';
import { stdSerializers } from 'pino';

export const REDACTED = '[REDACTED]';

const TOKEN_PATTERN = /\bcus_(?:live|test)_[0-9A-Za-z]{61}\b/g;
const SESSION_PATTERN = /\bcus_session_[A-Za-z0-9_-]{20,}\b/g;

/** Replaces Custos API tokens and session cookie values found anywhere in free text. */
export function redactTokenStrings(text: string): string {
  if (!text.includes('cus_')) return text;
  return text.replace(TOKEN_PATTERN, REDACTED).replace(SESSION_PATTERN, REDACTED);
}

// Applied to a finished JSON log line, where a token may follow an escape such as `\n` and so
// has no word boundary in front of it. Redacting a little too eagerly is harmless in a log.
const TOKEN_IN_JSON = /cus_(?:live|test)_[0-9A-Za-z]{61}\b/g;
const SESSION_IN_JSON = /cus_session_[A-Za-z0-9_-]{20,}\b/g;

export function redactTokenStringsInLogLine(line: string): string {
  if (!line.includes('cus_')) return line;
  return line.replace(TOKEN_IN_JSON, REDACTED).replace(SESSION_IN_JSON, REDACTED);
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
