import {
  AUDIT_BUNDLE_FORMAT,
  CHECKPOINT_JWS_TYPE,
  type BundleCheckpointLine,
  type BundleEventLine,
  type BundleHeaderLine,
  type CheckpointPayload,
  type Jwks,
} from '@custos/contracts';
import { verifyJws } from '@custos/crypto';
import { GENESIS_HASH, chainHash, parseCheckpointPayload } from '@custos/domain';

/**
 * Offline verification of an audit export bundle, as docs/audit-chain.md describes it: every event's
 * hash recomputed with the server's own code, sequence numbers gap-free from the header's prevHash
 * on, and every checkpoint's signature checked with a JWKS (the bundle's own, or one the auditor
 * trusts) against the event it names. Reads the bundle twice (checkpoints and keys come last, events
 * are never held in memory), so it is given a way to open it rather than its lines.
 */

/** Opens the bundle from its start, one line (without its newline) at a time. */
export type BundleSource = () => AsyncIterable<string> | Iterable<string>;

export type BundleVerdict =
  | { ok: true; events: number; checkpoints: number }
  | { ok: false; failure: string };

export interface VerifyOptions {
  /** A JWKS to check signatures with instead of the bundle's own. */
  jwks?: unknown;
}

const HEX64 = /^[0-9a-f]{64}$/;
const EVENT_FIELDS = [
  'type', 'tenantId', 'seq', 'occurredAt', 'action', 'actorType', 'actorId', 'targetType', 'targetId', 'requestId', 'data', 'prevHash', 'hash',
] as const;
const CHECKPOINT_FIELDS = ['type', 'id', 'seq', 'hash', 'at', 'prev', 'jws'] as const;

/** A failure found while reading: where it is and why. */
class Broken extends Error {}
const atSeq = (seq: number, why: string) => new Broken(`seq ${seq}: ${why}`);
const atCheckpoint = (seq: number, why: string) => new Broken(`checkpoint at seq ${seq}: ${why}`);
const inBundle = (why: string) => new Broken(`bundle: ${why}`);

export async function verifyBundle(open: BundleSource, options: VerifyOptions = {}): Promise<BundleVerdict> {
  try {
    const outline = await readOutline(open);
    const jwks = trustedJwks(options.jwks, outline.jwks);
    const checkpoints = await checkCheckpoints(outline.header, outline.checkpoints, jwks);
    const events = await walkEvents(open, outline.header, checkpoints);
    // Last: a bundle cut short is better told by where its events stop.
    if (typeof jwks === 'string') throw inBundle(jwks);
    return { ok: true, events, checkpoints: checkpoints.length };
  } catch (error) {
    if (error instanceof Broken) return { ok: false, failure: error.message };
    throw error;
  }
}

interface Outline {
  header: BundleHeaderLine;
  checkpoints: Array<{ line: number; value: unknown }>;
  jwks: unknown;
}

/** First pass: the header, the checkpoint lines and the JWKS; event lines are only skipped over. */
async function readOutline(open: BundleSource): Promise<Outline> {
  let header: BundleHeaderLine | undefined;
  const checkpoints: Outline['checkpoints'] = [];
  let jwks: unknown;
  let number = 0;
  for await (const text of open()) {
    number++;
    if (number === 1) {
      header = headerOf(parse(text));
      continue;
    }
    // The bulk of a bundle; the second pass reads these properly.
    if (text.startsWith('{"type":"event"')) continue;
    const value = parse(text);
    if (!isRecord(value)) continue;
    if (value.type === 'checkpoint') checkpoints.push({ line: number, value });
    if (value.type === 'jwks') {
      if (jwks !== undefined) throw inBundle(`line ${number} is a second JWKS`);
      jwks = value;
    }
  }
  if (!header) throw inBundle('is empty');
  return { header, checkpoints, jwks };
}

function headerOf(value: unknown): BundleHeaderLine {
  if (!isRecord(value) || value.type !== 'header') throw inBundle('line 1 is not a header');
  if (value.format !== AUDIT_BUNDLE_FORMAT) throw inBundle(`the header's format is ${JSON.stringify(value.format)}, not ${AUDIT_BUNDLE_FORMAT}`);
  const { tenantId, prevHash, firstSeq, lastSeq } = value;
  if (typeof tenantId !== 'string' || !tenantId) throw inBundle('the header names no tenant');
  const empty = firstSeq === null && lastSeq === null && prevHash === null;
  if (!empty) {
    if (!isSeq(firstSeq) || !isSeq(lastSeq) || firstSeq > lastSeq) throw inBundle('the header has no valid firstSeq..lastSeq');
    if (typeof prevHash !== 'string' || !HEX64.test(prevHash)) throw inBundle("the header's prevHash is not a SHA-256 hash");
    if (firstSeq === 1 && prevHash !== GENESIS_HASH) throw inBundle('the period starts at seq 1, so prevHash must be 64 zeros');
  }
  return value as unknown as BundleHeaderLine;
}

/** The keys to check signatures with, or why there are none. */
function trustedJwks(given: unknown, bundled: unknown): Jwks | string {
  const jwks = given ?? bundled;
  if (jwks === undefined) return 'has no JWKS line and no JWKS was given';
  if (!isRecord(jwks) || !Array.isArray(jwks.keys)) return `the ${given ? 'given' : "bundle's"} JWKS has no keys array`;
  return { keys: jwks.keys as Jwks['keys'] };
}

interface CheckedCheckpoint {
  seq: number;
  hash: string;
  /** Why it fails, if it does, before its event is even looked at. */
  problem: string | null;
}

/** Signatures, payloads and the links between consecutive checkpoints. */
async function checkCheckpoints(
  header: BundleHeaderLine,
  lines: Outline['checkpoints'],
  jwks: Jwks | string,
): Promise<CheckedCheckpoint[]> {
  const checked: CheckedCheckpoint[] = [];
  let previous: BundleCheckpointLine | undefined;
  for (const { line, value } of lines) {
    const shape = checkpointOf(value);
    if (typeof shape === 'string') throw inBundle(`line ${line}: ${shape}`);
    if (previous && shape.seq <= previous.seq) throw atCheckpoint(shape.seq, `out of order (follows the checkpoint at seq ${previous.seq})`);
    let problem = typeof jwks === 'string' ? `cannot be checked: the bundle ${jwks}` : await signatureProblem(shape, header, jwks);
    if (!problem && previous && shape.prev !== previous.id) {
      problem = `prev names ${String(shape.prev)}, but the checkpoint before it is ${previous.id}`;
    }
    checked.push({ seq: shape.seq, hash: shape.hash, problem });
    previous = shape;
  }
  return checked;
}

async function signatureProblem(checkpoint: BundleCheckpointLine, header: BundleHeaderLine, jwks: Jwks): Promise<string | null> {
  const verified = await verifyJws(checkpoint.jws, jwks, CHECKPOINT_JWS_TYPE);
  if (!verified.valid) return verified.reason;
  const payload = parseCheckpointPayload(verified.payload);
  if (!payload) return 'its signed payload is not a checkpoint';
  const signed: CheckpointPayload = { id: checkpoint.id, tenantId: header.tenantId, seq: checkpoint.seq, hash: checkpoint.hash, at: checkpoint.at, prev: checkpoint.prev };
  const differing = (Object.keys(signed) as Array<keyof CheckpointPayload>).filter((k) => payload[k] !== signed[k]);
  return differing.length > 0 ? `the signed ${differing.join(', ')} differ${differing.length === 1 ? 's' : ''} from the bundle's` : null;
}

/** Second pass: every event, in order, each checkpoint met at its seq. Answers the number of events. */
async function walkEvents(open: BundleSource, header: BundleHeaderLine, checkpoints: readonly CheckedCheckpoint[]): Promise<number> {
  const bySeq = new Map(checkpoints.map((c) => [c.seq, c]));
  const { firstSeq, lastSeq } = header;
  // Checkpoints outside the period can only be checked for their signature.
  const outside = checkpoints.filter((c) => firstSeq === null || lastSeq === null || c.seq < firstSeq || c.seq > lastSeq);
  const before = outside.filter((c) => firstSeq !== null && c.seq < firstSeq);
  failFirst(before);
  let expected = firstSeq ?? 1;
  let prevHash = header.prevHash ?? GENESIS_HASH;
  let count = 0;
  let eventsOver = false;
  let number = 0;
  for await (const text of open()) {
    number++;
    if (number === 1) continue;
    const value = parse(text);
    const type = isRecord(value) ? value.type : undefined;
    if (type === 'checkpoint' || type === 'jwks') {
      eventsOver = true;
      continue;
    }
    // Everything else stands where the events are, or belongs there.
    if (eventsOver || lastSeq === null || expected > lastSeq) {
      if (type !== 'event') throw inBundle(`line ${number} is ${value === undefined ? 'not valid JSON' : 'not a bundle line'}`);
      if (lastSeq === null) throw inBundle(`line ${number} is an event, but the header says the period has none`);
      if (eventsOver && expected <= lastSeq) throw atSeq(expected, `missing (line ${number}, an event, comes after the checkpoints)`);
      throw inBundle(`line ${number} is an event past the header's lastSeq ${lastSeq}`);
    }
    if (value === undefined) throw atSeq(expected, `line ${number} is not valid JSON`);
    const event = eventOf(value);
    if (typeof event === 'string') throw atSeq(expected, `line ${number}: ${event}`);
    if (event.seq > expected) throw atSeq(expected, `missing (expected ${expected}, found ${event.seq})`);
    if (event.seq < expected) throw atSeq(expected, `out of order (expected ${expected}, found ${event.seq})`);
    if (event.tenantId !== header.tenantId) throw atSeq(expected, `belongs to tenant ${event.tenantId}, not ${header.tenantId}`);
    if (event.prevHash !== prevHash) throw atSeq(expected, `prevHash does not link to ${expected === firstSeq ? "the header's prevHash" : `seq ${expected - 1}`}`);
    if (chainHash(prevHash, event) !== event.hash) throw atSeq(expected, 'hash does not match its content');
    const checkpoint = bySeq.get(expected);
    if (checkpoint?.problem) throw atCheckpoint(expected, checkpoint.problem);
    if (checkpoint && checkpoint.hash !== event.hash) throw atCheckpoint(expected, `signs hash ${checkpoint.hash}, but event ${expected} has ${event.hash}`);
    prevHash = event.hash;
    expected++;
    count++;
  }
  if (lastSeq !== null && expected <= lastSeq) {
    throw atSeq(expected, `missing (the header says the period ends at ${lastSeq}, the bundle ends before it)`);
  }
  failFirst(outside.filter((c) => !before.includes(c)));
  return count;
}

function failFirst(checkpoints: readonly CheckedCheckpoint[]): void {
  const broken = checkpoints.find((c) => c.problem);
  if (broken) throw atCheckpoint(broken.seq, broken.problem!);
}

function eventOf(value: unknown): BundleEventLine | string {
  if (!isRecord(value)) return 'not an event';
  if (value.type !== 'event') return `a ${JSON.stringify(value.type)} line where an event belongs`;
  const unexpected = Object.keys(value).filter((k) => !(EVENT_FIELDS as readonly string[]).includes(k));
  if (unexpected.length > 0) return `unexpected field ${unexpected.join(', ')}`;
  const wrong: string[] = [];
  const check = (field: (typeof EVENT_FIELDS)[number], ok: (v: unknown) => boolean) => ok(value[field]) || wrong.push(field);
  check('tenantId', isString);
  check('seq', isSeq);
  check('occurredAt', isString);
  check('action', isString);
  check('actorType', isString);
  for (const field of ['actorId', 'targetType', 'targetId', 'requestId'] as const) check(field, (v) => v === null || isString(v));
  check('data', isRecord);
  check('prevHash', (v) => isString(v) && HEX64.test(v));
  check('hash', (v) => isString(v) && HEX64.test(v));
  return wrong.length > 0 ? `${wrong.join(', ')} missing or malformed` : (value as unknown as BundleEventLine);
}

function checkpointOf(value: unknown): BundleCheckpointLine | string {
  if (!isRecord(value)) return 'not a checkpoint';
  const unexpected = Object.keys(value).filter((k) => !(CHECKPOINT_FIELDS as readonly string[]).includes(k));
  if (unexpected.length > 0) return `unexpected field ${unexpected.join(', ')} in a checkpoint`;
  const ok =
    isString(value.id) && isSeq(value.seq) && isString(value.hash) && isString(value.at) && isString(value.jws) &&
    (value.prev === null || isString(value.prev));
  return ok ? (value as unknown as BundleCheckpointLine) : 'a checkpoint with missing or malformed fields';
}

/** undefined for what is not JSON. */
function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** The one-line answer the CLI prints. */
export function describeVerdict(verdict: BundleVerdict): string {
  return verdict.ok ? `OK ${verdict.events} events, ${verdict.checkpoints} checkpoints` : `FAIL ${verdict.failure}`;
}
