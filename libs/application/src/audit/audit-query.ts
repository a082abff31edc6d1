import { Inject, Injectable } from '@nestjs/common';
import { CHECKPOINT_JWS_TYPE } from '@custos/contracts';
import { verifyJws } from '@custos/crypto';
import {
  ChainHeadContradiction,
  ChainVerifier,
  CheckpointWalk,
  checkpointSignatureProblem,
  withFault,
  type ChainFault,
  type ChainPosition,
  type ChainVerdict,
  type ChainedEventBody,
} from '@custos/domain';
import { ActorRepository, AuditChainRepository, AuditEventRepository, Database, type SealedAuditEvent } from '@custos/persistence';
import { Actors, type ActorReads, type ActorView } from '../accounts/actors';
import type { Principal } from '../auth/principal';
import { decodeCursor, encodeCursor, type Page } from '../shared/keyset-cursor';
import { AuditSealer } from './audit-sealer';
import { SigningKeys } from './signing-keys';

/** The reads of the trail: a filtered page, and the whole chain in seq order. */
export type AuditEventReads = Pick<AuditEventRepository, 'search' | 'sealedAfter'>;
/** What a verification holds the chain against: the stored head and the signed checkpoints. */
export type ChainRecords = Pick<AuditChainRepository, 'storedHead' | 'checkpointsWithEventHashes'>;

/**
 * An event as the API shows it: the hashed body (its tenant is the caller's), its place in the chain,
 * and who `actorId` names as of now, and `targetId` when the target is a person (`actor`,
 * `targetActor`: not part of the event, nor of its hash).
 */
export type AuditEventView = Omit<ChainedEventBody, 'tenantId'> & {
  prevHash: string;
  hash: string;
  actor: ActorView | null;
  targetActor: ActorView | null;
};

export interface AuditFilter {
  action?: string | undefined;
  /** An actor's id, or a person's e-mail: every account that had it, removed ones included. */
  actorId?: string | undefined;
  targetId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  cursor?: string | undefined;
  limit: number;
}

function toView(event: SealedAuditEvent, actors: Actors): AuditEventView {
  const { tenantId: _tenant, ...view } = event;
  return { ...view, actor: actors.of(event.actorId), targetActor: event.targetType === 'user' ? actors.of(event.targetId) : null };
}

@Injectable()
export class AuditQuery {
  constructor(
    private readonly db: Database,
    private readonly sealer: AuditSealer,
    private readonly keys: SigningKeys,
    @Inject(AuditChainRepository) private readonly chain: ChainRecords,
    @Inject(AuditEventRepository) private readonly events: AuditEventReads,
    @Inject(ActorRepository) private readonly actors: ActorReads,
  ) {}

  /** Newest first, keyset-paged by seq. Pending events are sealed first so the page is complete. */
  async list(principal: Principal, filter: AuditFilter): Promise<Page<AuditEventView>> {
    await sealPending(this.sealer, principal.tenantId);
    const cursor = decodeCursor(filter.cursor, (v): v is { s: number } => typeof v.s === 'number');
    const { action, actorId, targetId, from, to } = filter;
    const { rows, items } = await this.db.tenant(principal.tenantId, async (tx) => {
      const actor = actorId?.includes('@') ? { actorEmail: actorId } : { actorId };
      const rows = await this.events.search(tx, { action, ...actor, targetId, from, to, beforeSeq: cursor?.s }, filter.limit + 1);
      const page = rows.slice(0, filter.limit);
      const actors = await Actors.load(this.actors, tx, page.flatMap((e) => [e.actorId, e.targetType === 'user' ? e.targetId : null]));
      return { rows, items: page.map((e) => toView(e, actors)) };
    });
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > filter.limit && last ? encodeCursor({ s: last.seq }) : null };
  }

  /**
   * Recomputes the whole chain from the first event, in pages, holding one page in memory; then holds it
   * against the stored head (events cut off the end show there, unless the head was moved back too) and
   * against every signed checkpoint, whose signature, link to the one before and hash at its seq must
   * all agree: a chain shorter than a checkpoint, or rewritten under one, is invalid, whatever its head
   * says. The verdict names the first fault in sequence order, and why.
   */
  async verify(principal: Principal): Promise<ChainVerdict> {
    const tenantId = principal.tenantId;
    await sealPending(this.sealer, tenantId);
    const verifier = new ChainVerifier();
    let after = 0;
    for (;;) {
      const events = await this.db.tenant(tenantId, (tx) => this.events.sealedAfter(tx, after, 2000));
      for (const event of events) verifier.add(event);
      if (events.length < 2000) break;
      after = events[events.length - 1]!.seq;
    }
    const verdict = verifier.verdict();
    const head = await this.db.tenant(tenantId, (tx) => this.chain.storedHead(tx));
    const headFault: ChainFault | null =
      head && (head.seq !== verdict.headSeq || head.hash !== verdict.headHash)
        ? { seq: verdict.headSeq + 1, reason: `the stored head is seq ${head.seq} with hash ${head.hash}, but the chain ends at seq ${verdict.headSeq} with hash ${verdict.headHash}` }
        : null;
    const checkpoints = await this.walkCheckpoints(tenantId, { seq: verdict.headSeq, hash: verdict.headHash });
    return { ...withFault(withFault(verdict, headFault), checkpoints.fault), checkedCheckpoints: checkpoints.checkedCheckpoints };
  }

  /** Every checkpoint in seq order (pages of 500), its JWS checked with the keys this installation made. */
  private async walkCheckpoints(tenantId: string, head: ChainPosition): Promise<ReturnType<CheckpointWalk['result']>> {
    const jwks = await this.db.tenant(tenantId, (tx) => this.keys.publicKeys(tx));
    const walk = new CheckpointWalk(head);
    let after = 0;
    for (;;) {
      const page = await this.db.tenant(tenantId, (tx) => this.chain.checkpointsWithEventHashes(tx, after, 500));
      for (const { checkpoint, eventHash } of page) {
        const { id, seq, hash, at, prev, jws } = checkpoint;
        const shown = { id, tenantId, seq, hash, at: at.toISOString(), prev };
        const problem = checkpointSignatureProblem(await verifyJws(jws, jwks, CHECKPOINT_JWS_TYPE), shown, 'the stored one');
        walk.add(checkpoint, eventHash, problem);
      }
      if (page.length < 500) return walk.result();
      after = page[page.length - 1]!.checkpoint.seq;
    }
  }
}

/**
 * Seals what is pending before a read. A chain that contradicts its latest checkpoint takes no more
 * events (the refusal is logged): it is read, and verified, as it stands.
 */
async function sealPending(sealer: AuditSealer, tenantId: string): Promise<void> {
  try {
    await sealer.sealTenant(tenantId);
  } catch (error) {
    if (!(error instanceof ChainHeadContradiction)) throw error;
  }
}
