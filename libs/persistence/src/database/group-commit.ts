import { Logger } from '@nestjs/common';
import { DomainError } from '@custos/domain';
import type { Committed, OpeningRead, Tx } from './database';

interface Waiting {
  work(tx: Tx): Promise<unknown>;
  opening: readonly OpeningRead[] | undefined;
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

/** Works per transaction at most; more wait for the next one. */
const MAX_BATCH = 64;

/**
 * Group commit per tenant. Each tenant has at most one batched transaction in flight: one BEGIN, the
 * works one after another, their pending writes in one call per writer, one COMMIT. A lone work waits
 * for nothing. Works that arrive while the transaction is still running its works (its BEGIN's round
 * trip is enough time for a burst of requests to come in) join it; those that arrive once it is
 * writing wait and then go together in the next one. Under load the round trips and commits per work
 * fall with the batch size: joining the open transaction is what keeps the batches full when clients
 * answered together come back together (without it, eight clients made batches of 1 and 7, 2 and 6).
 *
 * Each work answers for itself. A DomainError it throws is its own refusal (its checks, before any
 * write): answered at once, its pending writes dropped, the others go on in the same transaction. A
 * batch the database refuses (any other error) is retried one work per transaction, so one bad work
 * never fails another. A work may therefore run more than once, each time in a fresh transaction; the
 * result of the run that committed is the one its caller gets.
 */
export class GroupCommit {
  private readonly logger = new Logger('Database');
  private readonly waiting = new Map<string, Waiting[]>();
  private readonly busy = new Set<string>();

  constructor(
    private readonly transaction: <T>(tenantId: string, work: (tx: Tx) => Promise<T>, opening?: readonly OpeningRead[]) => Promise<Committed<T>>,
  ) {}

  /** `opening`: the reads the transaction begins with, if this work starts it (see TenantWorkOptions). */
  submit<T>(tenantId: string, work: (tx: Tx) => Promise<T>, opening?: readonly OpeningRead[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let queue = this.waiting.get(tenantId);
      if (!queue) this.waiting.set(tenantId, (queue = []));
      queue.push({ work, opening, resolve: resolve as (result: unknown) => void, reject });
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

  /**
   * `open`: works waiting for the tenant join `batch` while its works run (see the class). A retry of
   * one work is not open: it must not take in works that would then fail with it.
   */
  private async commit(tenantId: string, batch: Waiting[], open = true): Promise<void> {
    // Refused by its own checks: answered at once, and never retried.
    const refused = new Set<Waiting>();
    let committed: Committed<Array<{ waiting: Waiting; result: unknown }>>;
    try {
      committed = await this.transaction(tenantId, async (tx) => {
        const done: Array<{ waiting: Waiting; result: unknown }> = [];
        for (let i = 0; ; i++) {
          if (open) this.join(tenantId, batch);
          const waiting = batch[i];
          if (!waiting) break;
          if (refused.has(waiting)) continue;
          const own = tx.forWork();
          try {
            done.push({ waiting, result: await waiting.work(own) });
            tx.adopt(own);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            refused.add(waiting);
            waiting.reject(error);
          }
        }
        return done;
      }, batch[0]!.opening);
    } catch (error) {
      const retry = batch.filter((w) => !refused.has(w));
      if (batch.length === 1) {
        for (const waiting of retry) waiting.reject(error);
        return;
      }
      this.logger.warn({ err: error, tenantId, works: retry.length }, 'batched transaction failed; retrying one work per transaction');
      for (const waiting of retry) await this.commit(tenantId, [waiting], false);
      return;
    }
    // Committed: what follows a commit is not retried, whatever becomes of it.
    try {
      await Promise.all(committed.commitTasks.map((task) => task()));
    } catch (error) {
      for (const { waiting } of committed.result) waiting.reject(error);
      return;
    }
    for (const { waiting, result } of committed.result) waiting.resolve(result);
  }

  /** Moves the tenant's waiting works into the batch in flight, up to MAX_BATCH. */
  private join(tenantId: string, batch: Waiting[]): void {
    const queue = this.waiting.get(tenantId);
    if (!queue || batch.length >= MAX_BATCH) return;
    batch.push(...queue.splice(0, MAX_BATCH - batch.length));
    if (queue.length === 0) this.waiting.delete(tenantId);
  }
}
