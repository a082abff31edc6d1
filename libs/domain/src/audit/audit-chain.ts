import { createHash } from 'node:crypto';
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
  return createHash('sha256')
    .update(Buffer.from(prevHashHex, 'hex'))
    .update(canonicalBody(event), 'utf8')
    .digest('hex');
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
    `"data":${canonicalize(event.data)},"occurredAt":${str(event.occurredAt)},"requestId":${str(event.requestId)},` +
    `"seq":${event.seq},"targetId":${str(event.targetId)},"targetType":${str(event.targetType)},"tenantId":${str(event.tenantId)}}`
  );
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
}

/** Walks events in seq order; the first gap, wrong link or wrong hash makes the chain invalid there. */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private checked = 0;
  private firstInvalid: number | undefined;

  constructor(start?: { seq: number; hash: string }) {
    if (start) {
      this.expectedSeq = start.seq + 1;
      this.prevHash = start.hash;
    }
  }

  add(event: ChainedEventBody & { prevHash: string; hash: string }): boolean {
    if (this.firstInvalid !== undefined) return false;
    this.checked++;
    const ok =
      event.seq === this.expectedSeq && event.prevHash === this.prevHash && chainHash(this.prevHash, event) === event.hash;
    if (!ok) {
      this.firstInvalid = Math.min(event.seq, this.expectedSeq);
      return false;
    }
    this.expectedSeq++;
    this.prevHash = event.hash;
    return true;
  }

  verdict(): ChainVerdict {
    return {
      valid: this.firstInvalid === undefined,
      checkedEvents: this.checked,
      headSeq: this.expectedSeq - 1,
      headHash: this.prevHash,
      ...(this.firstInvalid !== undefined ? { firstInvalidSeq: this.firstInvalid } : {}),
    };
  }
}
