import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { ChainHeadContradiction, chainHash, contradictionOf, type ChainPosition } from '@custos/domain';
import { AuditChainRepository, AuditEventRepository, Database, type LockedHead, type Tx } from '@custos/persistence';

const BATCH = 500;

/** The chain heads, which every writer takes through the sealer. */
export type ChainHeads = Pick<AuditChainRepository, 'lockHead' | 'lockHeadIfFree'>;
/** What sealing reads and writes of the events. */
export type SealableEvents = Pick<AuditEventRepository, 'unsealed' | 'seal' | 'tenantsWithUnsealed'>;

/** A tenant's chain head as a writer holds it (locked), checked against the tenant's latest checkpoint. */
export interface ChainHead extends ChainPosition {
  /** Set when the head contradicts that checkpoint: nothing may be chained onto it. */
  contradiction: ChainHeadContradiction | null;
}

/**
 * Links committed events into the tenant's hash chain. One sealer at a time per tenant (the head row
 * is locked), in insertion order; any process may seal, so a crash between commit and seal is healed
 * by the next seal or by the worker's sweep.
 *
 * Every writer takes the head through here (lockHead, lockHeadIfFree), and a head that contradicts
 * the tenant's latest signed checkpoint (events cut from the end or rewritten behind the application)
 * is refused: nothing is chained onto it, the events written meanwhile stay unsealed, and the refusal
 * is logged at error level each time (docs/audit-chain.md#when-the-chain-contradicts-a-checkpoint).
 */
@Injectable()
export class AuditSealer implements BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditSealer.name);
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private refused = 0;

  constructor(
    private readonly db: Database,
    @Inject(AuditChainRepository) private readonly chain: ChainHeads,
    @Inject(AuditEventRepository) private readonly events: SealableEvents,
  ) {}

  /** How many times this process refused to chain onto a head that contradicts a checkpoint (a metric). */
  get refusals(): number {
    return this.refused;
  }

  /** Coalesces bursts: at most one seal per tenant in flight, plus one queued behind it. */
  requestSeal(tenantId: string): void {
    if (this.running.has(tenantId)) {
      this.again.add(tenantId);
      return;
    }
    const run = this.sealTenant(tenantId)
      .then(() => undefined)
      .catch((error: unknown) => {
        // A refusal is logged where it is made.
        if (!(error instanceof ChainHeadContradiction)) this.logger.error({ err: error, tenantId }, 'audit seal failed; the sweep will retry');
      })
      .finally(() => {
        this.running.delete(tenantId);
        if (this.again.delete(tenantId)) this.requestSeal(tenantId);
      });
    this.running.set(tenantId, run);
  }

  /** Seals in flight finish while the database pool is still open. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  /** Waits for seals already requested (graceful shutdown, tests). */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  async sealTenant(tenantId: string): Promise<number> {
    let total = 0;
    for (;;) {
      const sealed = await this.db.tenant(tenantId, (tx) => this.sealBatch(tx));
      total += sealed;
      if (sealed < BATCH) return total;
    }
  }

  /** Seals every tenant that has unsealed events (the worker's sweep). */
  async sealAll(): Promise<number> {
    const tenants = await this.db.system((tx) => this.events.tenantsWithUnsealed(tx));
    let total = 0;
    for (const t of tenants) {
      try {
        total += await this.sealTenant(t);
      } catch (error) {
        // One tenant's forged chain must not keep the others' events unsealed.
        if (!(error instanceof ChainHeadContradiction)) throw error;
      }
    }
    return total;
  }

  /** Locks the tenant's chain head (made on first use), waiting for its holder; checked against the latest checkpoint. */
  async lockHead(tx: Tx): Promise<ChainHead> {
    return this.checked(await this.chain.lockHead(tx));
  }

  /** As lockHead, but undefined at once when someone holds the head (or it does not exist yet). */
  async lockHeadIfFree(tx: Tx): Promise<ChainHead | undefined> {
    const locked = await this.chain.lockHeadIfFree(tx);
    return locked && this.checked(locked);
  }

  /**
   * Null when events may be chained onto this head. Otherwise the head contradicts the latest
   * checkpoint, and the refusal is logged at error level and counted here, once per writer that would
   * have chained onto it: the caller throws it, or writes its events unsealed.
   */
  refusal(tx: Tx, head: ChainHead): ChainHeadContradiction | null {
    if (!head.contradiction) return null;
    this.refused++;
    this.logger.error(
      { tenantId: tx.tenantId, headSeq: head.seq, reason: head.contradiction.fault.reason },
      'audit chain head contradicts a signed checkpoint: refusing to chain events onto it; they stay unsealed until the chain is restored',
    );
    return head.contradiction;
  }

  private checked({ head, latest, hashAtLatest }: LockedHead): ChainHead {
    const fault = latest ? contradictionOf(head, latest, hashAtLatest) : null;
    return { ...head, contradiction: fault ? new ChainHeadContradiction(fault) : null };
  }

  private async sealBatch(tx: Tx): Promise<number> {
    // One sealer per tenant at a time: the head stays locked until this batch commits.
    const head = await this.lockHead(tx);
    const pending = await this.events.unsealed(tx, BATCH);
    if (pending.length === 0) return 0;
    const refused = this.refusal(tx, head);
    if (refused) throw refused;
    let seq = head.seq;
    let prev = head.hash;
    const ids: string[] = [];
    const seqs: number[] = [];
    const prevs: string[] = [];
    const hashes: string[] = [];
    for (const event of pending) {
      seq += 1;
      const hash = chainHash(prev, { ...event.body, seq });
      ids.push(event.id);
      seqs.push(seq);
      prevs.push(prev);
      hashes.push(hash);
      prev = hash;
    }
    await this.events.seal(tx, ids, { seqs, prevs, hashes, head: { seq, hash: prev } });
    return pending.length;
  }
}
