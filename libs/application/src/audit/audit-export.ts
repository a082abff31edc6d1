import { Injectable } from '@nestjs/common';
import {
  AUDIT_BUNDLE_FORMAT,
  type BundleCheckpointLine,
  type BundleEventLine,
  type BundleHeaderLine,
  type BundleJwksLine,
} from '@custos/contracts';
import { DomainError } from '@custos/domain';
import { Database } from '@custos/persistence';
import type { Principal, RequestMeta } from '../auth/principal';
import { requireScope } from '../shared/require-scope';
import { CHECKPOINT_COLUMNS, toCheckpointView, type CheckpointRow } from './audit-checkpoints';
import { AuditLog, actorOf } from './audit-log';
import { AUDIT_COLUMNS, chainBodyOf, type AuditEventRow } from './audit-row';
import { AuditSealer } from './audit-sealer';
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

const BATCH = 1000;
const line = (value: object): string => `${JSON.stringify(value)}\n`;

/**
 * The audit trail of a period as a bundle an auditor can verify offline (docs/audit-chain.md): a
 * header with the hash before the period, the events in seq order, the checkpoints covering them and
 * the tenant's JWKS. The period is the contiguous run of sequence numbers from the first event at or
 * after `from` to the last one before `to`, so it always forms an unbroken piece of the chain.
 */
@Injectable()
export class AuditExport {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly sealer: AuditSealer,
    private readonly keys: SigningKeys,
  ) {}

  async open(principal: Principal, period: ExportPeriod, meta: RequestMeta): Promise<AuditBundle> {
    requireScope(principal, 'custos:audit:read');
    if (period.from && period.to && period.from >= period.to) {
      throw DomainError.validation([{ field: 'to', message: 'must be later than from' }]);
    }
    const tenantId = principal.tenantId;
    await this.sealer.sealTenant(tenantId);
    const header = await this.db.tenant(tenantId, async (tx) => {
      const first = await tx.one<{ seq: string; prev_hash: string }>(
        `SELECT seq, prev_hash FROM audit_events WHERE seq IS NOT NULL ${period.from ? 'AND occurred_at >= $1' : ''}
          ORDER BY seq LIMIT 1`,
        period.from ? [period.from] : [],
      );
      const last = await tx.one<{ seq: string }>(
        `SELECT seq FROM audit_events WHERE seq IS NOT NULL ${period.to ? 'AND occurred_at < $1' : ''} ORDER BY seq DESC LIMIT 1`,
        period.to ? [period.to] : [],
      );
      const empty = !first || !last || Number(first.seq) > Number(last.seq);
      const header: BundleHeaderLine = {
        type: 'header',
        format: AUDIT_BUNDLE_FORMAT,
        tenantId,
        from: period.from?.toISOString() ?? null,
        to: period.to?.toISOString() ?? null,
        prevHash: empty ? null : first!.prev_hash,
        firstSeq: empty ? null : Number(first!.seq),
        lastSeq: empty ? null : Number(last!.seq),
        generatedAt: new Date().toISOString(),
      };
      await this.audit.record(tx, meta, {
        action: 'audit.exported',
        actor: actorOf(principal),
        target: { type: 'tenant', id: tenantId },
        data: { from: header.from, to: header.to, firstSeq: header.firstSeq, lastSeq: header.lastSeq },
      });
      return header;
    });
    const range = header.firstSeq === null ? 'empty' : `${header.firstSeq}-${header.lastSeq}`;
    return { header, filename: `custos-audit-${tenantId}-${range}.jsonl`, chunks: () => this.chunks(header) };
  }

  private async *chunks(header: BundleHeaderLine): AsyncGenerator<string> {
    const tenantId = header.tenantId;
    yield line(header);
    if (header.firstSeq !== null && header.lastSeq !== null) {
      yield* this.eventChunks(tenantId, header.firstSeq, header.lastSeq);
      yield* this.checkpointChunks(tenantId, header.firstSeq, header.lastSeq);
    }
    const jwks = await this.db.tenant(tenantId, (tx) => this.keys.publicKeys(tx));
    yield line({ type: 'jwks', keys: jwks.keys } satisfies BundleJwksLine);
  }

  /** Keyset batches over seq, one short transaction each: sealed events never change, so batches agree. */
  private async *eventChunks(tenantId: string, firstSeq: number, lastSeq: number): AsyncGenerator<string> {
    let after = firstSeq - 1;
    while (after < lastSeq) {
      const rows = await this.db.tenant(tenantId, (tx) =>
        tx.rows<AuditEventRow>(
          `SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT ${BATCH}`,
          [after, lastSeq],
        ),
      );
      if (rows.length === 0) return;
      yield rows
        .map((row) => {
          const event: BundleEventLine = {
            type: 'event',
            ...chainBodyOf(row, tenantId, Number(row.seq)),
            prevHash: row.prev_hash!,
            hash: row.hash!,
          };
          return line(event);
        })
        .join('');
      after = Number(rows[rows.length - 1]!.seq);
    }
  }

  /** Every checkpoint signing a head inside the period, then the first one after it. */
  private async *checkpointChunks(tenantId: string, firstSeq: number, lastSeq: number): AsyncGenerator<string> {
    let after = firstSeq - 1;
    for (;;) {
      const rows = await this.db.tenant(tenantId, (tx) =>
        tx.rows<CheckpointRow>(
          `(SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT ${BATCH})
           UNION ALL
           (SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints WHERE seq > $2 ORDER BY seq LIMIT 1)
           ORDER BY seq`,
          [after, lastSeq],
        ),
      );
      const inside = rows.filter((r) => Number(r.seq) <= lastSeq);
      const done = inside.length < BATCH;
      const chunk = (done ? rows : inside).map((row) => line(checkpointLine(row))).join('');
      if (chunk) yield chunk;
      if (done) return;
      after = Number(inside[inside.length - 1]!.seq);
    }
  }
}

function checkpointLine(row: CheckpointRow): BundleCheckpointLine {
  const { id, seq, hash, at, prev, jws } = toCheckpointView(row);
  return { type: 'checkpoint', id, seq, hash, at, prev, jws };
}
