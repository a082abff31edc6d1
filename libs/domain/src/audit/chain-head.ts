import { ErrorCode } from '@custos/contracts';
import { DomainError } from '../errors/domain-error';

/** Where a tenant's chain stands: the last sealed event's sequence number and hash. */
export interface ChainPosition {
  seq: number;
  hash: string;
}

/** A stored checkpoint, as a chain is held against it. */
export interface CheckpointMark {
  id: string;
  seq: number;
  hash: string;
  /**
   * Sequence number of the checkpoint's own audit event (`audit.checkpoint_signed`), written in the same
   * transaction as the checkpoint: a chain that holds the checkpoint reaches at least this far.
   */
  eventSeq: number;
}

/** Where a chain fails (the first sequence number that is wrong or missing) and why, in words. */
export interface ChainFault {
  seq: number;
  reason: string;
}

/**
 * How a chain ending at `head` contradicts a checkpoint of its tenant, or null when it does not: the
 * chain ends before the seq the checkpoint signed, or before the checkpoint's own event, or its event
 * at that seq has another hash. `hashAtCheckpoint` is the chain's hash at the checkpoint's seq (null
 * when it has no event there). Events cut from the end of a chain, or rewritten with recomputed
 * hashes, show here once a checkpoint has signed them.
 */
export function contradictionOf(head: ChainPosition, checkpoint: CheckpointMark, hashAtCheckpoint: string | null): ChainFault | null {
  const { id, seq, hash, eventSeq } = checkpoint;
  if (head.seq < seq) return { seq: head.seq + 1, reason: `the chain ends at seq ${head.seq} but checkpoint ${id} signed seq ${seq}` };
  if (hashAtCheckpoint === null) return { seq, reason: `event ${seq}, which checkpoint ${id} signed, is missing` };
  if (hashAtCheckpoint !== hash) {
    return { seq, reason: `checkpoint ${id} signed hash ${hash} for seq ${seq}, but event ${seq} has ${hashAtCheckpoint}: the chain was rewritten at or before seq ${seq}` };
  }
  if (head.seq < eventSeq) return { seq: head.seq + 1, reason: `the chain ends at seq ${head.seq} but checkpoint ${id} recorded itself as event ${eventSeq}` };
  return null;
}

/**
 * A tenant's chain head contradicts its latest signed checkpoint (contradictionOf): the chain was cut
 * or rewritten behind the application. Nothing is chained onto such a head; the events written
 * meanwhile stay unsealed until an operator restores the chain from a backup.
 */
export class ChainHeadContradiction extends DomainError {
  constructor(readonly fault: ChainFault) {
    super(
      ErrorCode.CONFLICT,
      `The audit chain contradicts a signed checkpoint (${fault.reason}): nothing more is chained onto it until it is restored.`,
    );
    this.name = 'ChainHeadContradiction';
  }
}

/**
 * A tenant's stored checkpoints, fed in seq order, held against each other and against its chain as
 * recomputed: each must be signed by the tenant (checked by the caller, who holds the keys), name the
 * one before it as `prev` (the first names none) and agree with the chain. The first fault is kept.
 */
export class CheckpointWalk {
  private previous: string | null = null;
  private checked = 0;
  private fault: ChainFault | null = null;

  constructor(private readonly head: ChainPosition) {}

  add(checkpoint: CheckpointMark & { prev: string | null }, hashAtCheckpoint: string | null, signatureProblem: string | null): void {
    this.checked++;
    this.fault ??= this.faultOf(checkpoint, hashAtCheckpoint, signatureProblem);
    this.previous = checkpoint.id;
  }

  result(): { checkedCheckpoints: number; fault: ChainFault | null } {
    return { checkedCheckpoints: this.checked, fault: this.fault };
  }

  private faultOf(checkpoint: CheckpointMark & { prev: string | null }, hashAtCheckpoint: string | null, signatureProblem: string | null): ChainFault | null {
    const { id, seq, prev } = checkpoint;
    if (signatureProblem) return { seq, reason: `checkpoint ${id} (seq ${seq}): ${signatureProblem}` };
    if (prev !== this.previous) {
      const missing = this.previous === null
        ? `no checkpoint before it is stored`
        : `the checkpoint before it is ${this.previous}`;
      return { seq, reason: `checkpoint ${id} (seq ${seq}) names ${prev ?? 'none'} as the one before it, but ${missing}: checkpoints were deleted or forged` };
    }
    return contradictionOf(this.head, checkpoint, hashAtCheckpoint);
  }
}
