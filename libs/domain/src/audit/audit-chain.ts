import { hash } from 'node:crypto';
import type { ChainedEventBody } from '@custos/contracts';
import { canonicalize } from 'json-canonicalize';

// The body is a contract (the export bundle carries it); the hashing is domain logic.
export type { ChainedEventBody };

/** The hash before a tenant's first event: 32 zero bytes, hex. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * hash = sha256(prev_hash_bytes || RFC 8785 canonical JSON of the body), as lowercase hex.
 * Documented in docs/audit-chain.md so anyone can recompute it.
 */
export function chainHash(prevHashHex: string, event: ChainedEventBody): string {
  const body = canonicalBody(event);
  // One-shot hashing of prev bytes and body written side by side: a Hash object per event cost more
  // than the SHA-256 itself when sealing or verifying a million events.
  const input = scratchFor(prevHashHex.length + body.length * 3);
  const prevBytes = input.write(prevHashHex, 0, 'hex');
  const bodyBytes = input.write(body, prevBytes, 'utf8');
  return hash('sha256', input.subarray(0, prevBytes + bodyBytes), 'hex');
}

/** Reused between calls (hashing is synchronous); grown when an event needs more. */
let scratch = Buffer.allocUnsafe(16 * 1024);

function scratchFor(bytes: number): Buffer {
  if (scratch.length < bytes) scratch = Buffer.allocUnsafe(Math.max(bytes, scratch.length * 2));
  return scratch;
}

const str = (value: string | null): string => (value === null ? 'null' : JSON.stringify(value));

/**
 * RFC 8785 JSON of the body, byte for byte what `canonicalize(chainedBody(event))` gives: the fixed
 * members are written in their sorted order by hand (JSON.stringify of a string or a safe integer is
 * already canonical) and only `data` goes through the general canonicaliser. Sealing a million
 * events spends most of its CPU here, so the general path is kept for what varies.
 */
export function canonicalBody(event: ChainedEventBody): string {
  if (!Number.isSafeInteger(event.seq)) return canonicalize(chainedBody(event));
  return (
    `{"action":${str(event.action)},"actorId":${str(event.actorId)},"actorType":${str(event.actorType)},` +
    `"data":${canonicalJson(event.data)},"occurredAt":${str(event.occurredAt)},"requestId":${str(event.requestId)},` +
    `"seq":${event.seq},"targetId":${str(event.targetId)},"targetType":${str(event.targetType)},"tenantId":${str(event.tenantId)}}`
  );
}

/**
 * RFC 8785 JSON of event data, byte for byte what json-canonicalize writes for it, without its
 * per-member bookkeeping (paths, cycle tracking). Strings, finite numbers, booleans, null, arrays and
 * plain objects are written here; anything else (a Date, a cycle, deep nesting) goes to the general
 * canonicaliser, which also decides what it means.
 */
export function canonicalJson(value: unknown, depth = 0): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number' && Number.isFinite(value)) return JSON.stringify(value);
  if (depth < 32 && Array.isArray(value) && !('toJSON' in value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) continue; // a hole, skipped as forEach skips it
      const element: unknown = value[i];
      out += (out.length === 1 ? '' : ',') + (element === undefined ? 'null' : canonicalJson(element, depth + 1));
    }
    return `${out}]`;
  }
  if (depth < 32 && isPlainObject(value)) {
    let out = '{';
    for (const key of Object.keys(value).sort()) {
      const member = value[key];
      if (member === undefined) continue;
      out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member, depth + 1)}`;
    }
    return `${out}}`;
  }
  return canonicalize(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return (proto === Object.prototype || proto === null) && !('toJSON' in value);
}

/** Exactly the hashed fields, whatever else the object carries (ids, prev_hash, hash). */
export function chainedBody(event: ChainedEventBody): ChainedEventBody {
  return {
    tenantId: event.tenantId,
    seq: event.seq,
    occurredAt: event.occurredAt,
    action: event.action,
    actorType: event.actorType,
    actorId: event.actorId,
    targetType: event.targetType,
    targetId: event.targetId,
    requestId: event.requestId,
    data: event.data,
  };
}

export interface ChainVerdict {
  valid: boolean;
  checkedEvents: number;
  headSeq: number;
  headHash: string;
  firstInvalidSeq?: number;
  /** Why the chain is not valid, in words (set exactly when it is not). */
  reason?: string;
  /** Signed checkpoints held against the chain (the server's verification). */
  checkedCheckpoints?: number;
}

/** Walks events in seq order; the first gap, wrong link or wrong hash makes the chain invalid there. */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private checked = 0;
  private fault: { seq: number; reason: string } | undefined;

  constructor(start?: { seq: number; hash: string }) {
    if (start) {
      this.expectedSeq = start.seq + 1;
      this.prevHash = start.hash;
    }
  }

  add(event: ChainedEventBody & { prevHash: string; hash: string }): boolean {
    if (this.fault !== undefined) return false;
    this.checked++;
    const expected = this.expectedSeq;
    let why: string | null = null;
    if (event.seq > expected) why = `missing (expected ${expected}, found ${event.seq})`;
    else if (event.seq < expected) why = `out of order (expected ${expected}, found ${event.seq})`;
    else if (event.prevHash !== this.prevHash) why = `prevHash does not link to ${expected === 1 ? 'the start of the chain' : `seq ${expected - 1}`}`;
    else if (chainHash(this.prevHash, event) !== event.hash) why = 'hash does not match its content';
    if (why !== null) {
      const seq = Math.min(event.seq, expected);
      this.fault = { seq, reason: `seq ${seq}: ${why}` };
      return false;
    }
    this.expectedSeq++;
    this.prevHash = event.hash;
    return true;
  }

  verdict(): ChainVerdict {
    return {
      valid: this.fault === undefined,
      checkedEvents: this.checked,
      headSeq: this.expectedSeq - 1,
      headHash: this.prevHash,
      ...(this.fault !== undefined ? { firstInvalidSeq: this.fault.seq, reason: this.fault.reason } : {}),
    };
  }
}

/**
 * The verdict with a further fault found beside the walk (a checkpoint, the stored head): the chain is
 * invalid at whichever comes first in sequence order, the walk's own on a tie.
 */
export function withFault(verdict: ChainVerdict, fault: { seq: number; reason: string } | null): ChainVerdict {
  if (!fault || (verdict.firstInvalidSeq !== undefined && verdict.firstInvalidSeq <= fault.seq)) return verdict;
  return { ...verdict, valid: false, firstInvalidSeq: fault.seq, reason: fault.reason };
}
