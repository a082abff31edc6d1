import { Inject, Injectable } from '@nestjs/common';
import {
  AUDIT_BUNDLE_FORMAT,
  type BundleCheckpointLine,
  type BundleEventLine,
  type BundleHeaderLine,
  type BundleJwksLine,
} from '@custos/contracts';
import { ChainHeadContradiction, DomainError } from '@custos/domain';
import { AuditChainRepository, AuditEventRepository, Database, type StoredCheckpoint, type Tx } from '@custos/persistence';
import type { Principal, RequestMeta } from '../auth/principal';
import { requireScope } from '../shared/require-scope';
import { AuditCheckpoints, toCheckpointView } from './audit-checkpoints';
import { AuditLog, actorOf, type AuditActor } from './audit-log';
import { AuditSealer, type ChainHead } from './audit-sealer';
import { SigningKeys } from './signing-keys';

export interface ExportPeriod {
  from?: Date | undefined;
  to?: Date | undefined;
}

/** An export ready to stream: its header is known (and the export audited) before the first byte is sent. */
export interface AuditBundle {
  header: BundleHeaderLine;
  filename: string;
  /** The bundle as JSON lines, read from the database batch by batch as the consumer pulls. */
  chunks(): AsyncIterable<string>;
}

/** Where a bundle starts and ends, and its events. */
export type BundleEventReads = Pick<AuditEventRepository, 'firstSealedFrom' | 'lastSealedBefore' | 'sealedBetween'>;
/** The checkpoints a bundle ends on and carries. */
export type BundleCheckpointReads = Pick<AuditChainRepository, 'firstCheckpointFrom' | 'checkpointsBetween'>;

const BATCH = 1000;
const line = (value: object): string => `${JSON.stringify(value)}\n`;

/** Where a bundle's events end, and up to which seq its checkpoints are streamed. */
interface BundleEnd {
  lastSeq: number;
  checkpointsUpTo: number;
  /** The checkpoint the export signed at lastSeq, if it had to sign one. */
  signed: string | null;
  head: ChainHead;
}

/**
 * The audit trail of a period as a bundle an auditor can verify offline (docs/audit-chain.md): a
 * header with the hash before the period, the events in seq order, the checkpoints covering them and
 * the tenant's JWKS. The events are a contiguous run of the chain from the first event at or after
 * `from`, and they end on a signed checkpoint, so that one signature authenticates them all: the
 * first checkpoint at or after the last event before `to`, or, when there is none yet, one the export
 * signs over the head. A bundle whose chain cannot reach its checkpoint (events cut behind the
 * application) still carries it, and fails verification for it.
 */
@Injectable()
export class AuditExport {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly sealer: AuditSealer,
    private readonly keys: SigningKeys,
    private readonly checkpoints: AuditCheckpoints,
    @Inject(AuditChainRepository) private readonly chain: BundleCheckpointReads,
    @Inject(AuditEventRepository) private readonly events: BundleEventReads,
  ) {}

  async open(principal: Principal, period: ExportPeriod, meta: RequestMeta): Promise<AuditBundle> {
    requireScope(principal, 'custos:audit:read');
    if (period.from && period.to && period.from >= period.to) {
      throw DomainError.validation([{ field: 'to', message: 'must be later than from' }]);
    }
    const tenantId = principal.tenantId;
    const actor = actorOf(principal);
    try {
      await this.sealer.sealTenant(tenantId);
    } catch (error) {
      // A forged head takes no more events; the bundle shows the chain as it stands, and fails for it.
      if (!(error instanceof ChainHeadContradiction)) throw error;
    }
    const { header, checkpointsUpTo } = await this.db.tenant(tenantId, async (tx) => {
      const head = await this.sealer.lockHead(tx);
      const first = await this.events.firstSealedFrom(tx, period.from);
      const last = await this.events.lastSealedBefore(tx, period.to);
      const empty = first === undefined || last === undefined || first.seq > last;
      const end = empty ? null : await this.endOf(tx, head, last, actor, meta);
      const header: BundleHeaderLine = {
        type: 'header',
        format: AUDIT_BUNDLE_FORMAT,
        tenantId,
        from: period.from?.toISOString() ?? null,
        to: period.to?.toISOString() ?? null,
        prevHash: empty ? null : first.prevHash,
        firstSeq: empty ? null : first.seq,
        lastSeq: end?.lastSeq ?? null,
        generatedAt: new Date().toISOString(),
      };
      const exported = {
        action: 'audit.exported' as const,
        actor,
        target: { type: 'tenant', id: tenantId },
        data: { from: header.from, to: header.to, firstSeq: header.firstSeq, lastSeq: header.lastSeq, checkpointId: end?.signed ?? null },
      };
      await this.audit.recordSealed(tx, end?.head ?? head, meta, exported);
      return { header, checkpointsUpTo: end?.checkpointsUpTo ?? 0 };
    });
    const range = header.firstSeq === null ? 'empty' : `${header.firstSeq}-${header.lastSeq}`;
    return { header, filename: `custos-audit-${tenantId}-${range}.jsonl`, chunks: () => this.chunks(header, checkpointsUpTo) };
  }

  /**
   * Where the events of a period whose last event is `periodLast` end: at the first checkpoint at or
   * after it, or at a checkpoint signed now over the head when there is none yet. When the chain stops
   * short of that checkpoint (cut behind the application), the events end at the head and the
   * checkpoint beyond is streamed all the same; a head that contradicts its checkpoint is not signed.
   */
  private async endOf(tx: Tx, head: ChainHead, periodLast: number, actor: AuditActor, meta: RequestMeta): Promise<BundleEnd> {
    const next: StoredCheckpoint | undefined = await this.chain.firstCheckpointFrom(tx, periodLast);
    if (next) return { lastSeq: Math.min(next.seq, head.seq), checkpointsUpTo: next.seq, signed: null, head };
    if (head.contradiction) return { lastSeq: periodLast, checkpointsUpTo: periodLast, signed: null, head };
    const signed = await this.checkpoints.signLocked(tx, head, actor, meta);
    return { lastSeq: signed.checkpoint.seq, checkpointsUpTo: signed.checkpoint.seq, signed: signed.checkpoint.id, head: signed.head };
  }

  private async *chunks(header: BundleHeaderLine, checkpointsUpTo: number): AsyncGenerator<string> {
    const tenantId = header.tenantId;
    yield line(header);
    if (header.firstSeq !== null && header.lastSeq !== null) {
      yield* this.eventChunks(tenantId, header.firstSeq, header.lastSeq);
      yield* this.checkpointChunks(tenantId, header.firstSeq, checkpointsUpTo);
    }
    const jwks = await this.db.tenant(tenantId, (tx) => this.keys.publicKeys(tx));
    yield line({ type: 'jwks', keys: jwks.keys } satisfies BundleJwksLine);
  }

  /** Keyset batches over seq, one short transaction each: sealed events never change, so batches agree. */
  private async *eventChunks(tenantId: string, firstSeq: number, lastSeq: number): AsyncGenerator<string> {
    let after = firstSeq - 1;
    while (after < lastSeq) {
      const events = await this.db.tenant(tenantId, (tx) => this.events.sealedBetween(tx, after, lastSeq, BATCH));
      if (events.length === 0) return;
      yield events.map((event) => line({ type: 'event', ...event } satisfies BundleEventLine)).join('');
      after = events[events.length - 1]!.seq;
    }
  }

  /** Every checkpoint from the first event's seq up to `upTo` (the bundle's own end, or the one it falls short of). */
  private async *checkpointChunks(tenantId: string, firstSeq: number, upTo: number): AsyncGenerator<string> {
    let after = firstSeq - 1;
    for (;;) {
      const found = await this.db.tenant(tenantId, (tx) => this.chain.checkpointsBetween(tx, after, upTo, BATCH));
      if (found.length > 0) yield found.map((c) => line(checkpointLine(c))).join('');
      if (found.length < BATCH) return;
      after = found[found.length - 1]!.seq;
    }
  }
}

function checkpointLine(checkpoint: StoredCheckpoint): BundleCheckpointLine {
  const { id, seq, hash, at, prev, jws } = toCheckpointView(checkpoint);
  return { type: 'checkpoint', id, seq, hash, at, prev, jws };
}
