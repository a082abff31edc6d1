import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '@custos/domain';
import { Database, type TokenEntity, type Tx } from '@custos/persistence';
import { AuditLog, type AuditEntry } from '../audit/audit-log';
import type { RequestMeta } from '../auth/principal';
import { tokenInserts } from './token-store';

/** One issue waiting for its batch: its checks and reads run inside the batch's transaction. */
export interface BatchedIssue {
  meta: RequestMeta;
  /**
   * Reads and checks, no writes; a DomainError refuses this issue alone. Answers the token row and
   * its `token.issued` event.
   */
  prepare(tx: Tx): Promise<{ token: TokenEntity; entry: AuditEntry }>;
}

interface Waiting {
  issue: BatchedIssue;
  resolve(token: TokenEntity): void;
  reject(error: unknown): void;
}

/** Issues per transaction at most; more wait for the next one. */
const MAX_BATCH = 64;

/**
 * Group commit for issuing. Each tenant has at most one issue transaction in flight; requests that
 * arrive meanwhile wait and then go together in the next one: one BEGIN, one statement writing all
 * their tokens and audit events, one COMMIT. A lone request waits for nothing, and under load the
 * round trips and commits per issue fall with the batch size. Every token still commits with its
 * event or not at all; a batch the database refuses is retried one issue per transaction, so one
 * bad request never fails another.
 */
@Injectable()
export class IssueBatcher {
  private readonly logger = new Logger(IssueBatcher.name);
  private readonly waiting = new Map<string, Waiting[]>();
  private readonly busy = new Set<string>();

  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
  ) {}

  submit(tenantId: string, issue: BatchedIssue): Promise<TokenEntity> {
    return new Promise<TokenEntity>((resolve, reject) => {
      let queue = this.waiting.get(tenantId);
      if (!queue) this.waiting.set(tenantId, (queue = []));
      queue.push({ issue, resolve, reject });
      if (!this.busy.has(tenantId)) void this.drain(tenantId);
    });
  }

  private async drain(tenantId: string): Promise<void> {
    this.busy.add(tenantId);
    try {
      for (;;) {
        const queue = this.waiting.get(tenantId);
        if (!queue || queue.length === 0) break;
        const batch = queue.splice(0, MAX_BATCH);
        if (queue.length === 0) this.waiting.delete(tenantId);
        await this.commit(tenantId, batch);
      }
    } finally {
      this.busy.delete(tenantId);
    }
  }

  private async commit(tenantId: string, batch: Waiting[]): Promise<void> {
    // Refused by its own checks: answered at once, and never retried.
    const refused = new Set<Waiting>();
    let accepted: Array<{ waiting: Waiting; token: TokenEntity }> = [];
    try {
      await this.db.tenant(tenantId, async (tx) => {
        accepted = [];
        const entries: AuditEntry[] = [];
        for (const waiting of batch) {
          if (refused.has(waiting)) continue;
          try {
            const { token, entry } = await waiting.issue.prepare(tx);
            accepted.push({ waiting, token });
            entries.push({ ...entry, meta: waiting.issue.meta });
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            refused.add(waiting);
            waiting.reject(error);
          }
        }
        if (accepted.length > 0) {
          await this.audit.recordSealedIfFree(tx, batch[0]!.issue.meta, tokenInserts(accepted.map((a) => a.token)), ...entries);
        }
      });
    } catch (error) {
      const retry = batch.filter((w) => !refused.has(w));
      if (batch.length === 1) {
        for (const waiting of retry) waiting.reject(error);
        return;
      }
      this.logger.warn({ err: error, tenantId, issues: retry.length }, 'issue batch failed; retrying one issue per transaction');
      for (const waiting of retry) await this.commit(tenantId, [waiting]);
      return;
    }
    for (const { waiting, token } of accepted) waiting.resolve(token);
  }
}
