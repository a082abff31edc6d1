import type { BundleCheckpointLine, BundleEventLine } from '@custos/contracts';

/** The shapes of bundle lines, shared by the sequential verifier and the parallel event scanner. */

export const HEX64 = /^[0-9a-f]{64}$/;
const EVENT_FIELDS = new Set([
  'type', 'tenantId', 'seq', 'occurredAt', 'action', 'actorType', 'actorId', 'targetType', 'targetId', 'requestId', 'data', 'prevHash', 'hash',
]);
const CHECKPOINT_FIELDS = new Set(['type', 'id', 'seq', 'hash', 'at', 'prev', 'jws']);
/** How the export writes every event line; enough to pass over one without parsing it. */
export const EVENT_PREFIX = '{"type":"event"';

/** The event's shape, all but whether its two hashes are hex (see malformedHashes). */
export function eventOf(value: unknown): BundleEventLine | string {
  if (!isRecord(value)) return 'not an event';
  if (value.type !== 'event') return `a ${JSON.stringify(value.type)} line where an event belongs`;
  const unexpected = Object.keys(value).filter((k) => !EVENT_FIELDS.has(k));
  if (unexpected.length > 0) return `unexpected field ${unexpected.join(', ')}`;
  const wrong: string[] = [];
  const check = (field: keyof BundleEventLine, ok: (v: unknown) => boolean) => ok(value[field]) || wrong.push(field);
  check('tenantId', isString);
  check('seq', isSeq);
  check('occurredAt', isString);
  check('action', isString);
  check('actorType', isString);
  for (const field of ['actorId', 'targetType', 'targetId', 'requestId'] as const) check(field, (v) => v === null || isString(v));
  check('data', isRecord);
  check('prevHash', isString);
  check('hash', isString);
  if (wrong.length === 0) return value as unknown as BundleEventLine;
  const hashes = malformedHashes(value, false, false);
  return `${[...wrong.filter((f) => f !== 'prevHash' && f !== 'hash'), ...(hashes ? [hashes] : [])].join(', ')} missing or malformed`;
}

/** "prevHash", "hash", both or null: which of the event's hashes is not 64 lowercase hex digits. */
export function malformedHashes(event: { prevHash?: unknown; hash?: unknown }, prevKnownHex: boolean, hashKnownHex: boolean): string | null {
  const wrong: string[] = [];
  if (!prevKnownHex && !(isString(event.prevHash) && HEX64.test(event.prevHash))) wrong.push('prevHash');
  if (!hashKnownHex && !(isString(event.hash) && HEX64.test(event.hash))) wrong.push('hash');
  return wrong.length > 0 ? wrong.join(', ') : null;
}

export function checkpointOf(value: unknown): BundleCheckpointLine | string {
  if (!isRecord(value)) return 'not a checkpoint';
  const unexpected = Object.keys(value).filter((k) => !CHECKPOINT_FIELDS.has(k));
  if (unexpected.length > 0) return `unexpected field ${unexpected.join(', ')} in a checkpoint`;
  const ok =
    isString(value.id) && isSeq(value.seq) && isString(value.hash) && isString(value.at) && isString(value.jws) &&
    (value.prev === null || isString(value.prev));
  return ok ? (value as unknown as BundleCheckpointLine) : 'a checkpoint with missing or malformed fields';
}

/** undefined for what is not JSON. */
export function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

export function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}
