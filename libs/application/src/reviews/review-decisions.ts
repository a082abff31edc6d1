import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, type ReviewDecision } from '@custos/contracts';
import { DomainError, canTransition, isSelfIssued, missingScopes } from '@custos/domain';
import { AccessReviewRepository, TokenRepository, type CampaignRecord, type ItemRecord, type TokenEntity, type Tx } from '@custos/persistence';
import { AuditLog, actorOf } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { TokenEditor } from '../tokens/token-editor.service';
import { TokenLifecycle } from '../tokens/token-lifecycle.service';
import { campaignReason } from './review-campaigns';

export interface DecisionInput {
  decision: ReviewDecision;
  scopes?: string[] | undefined;
  comment: string;
}

export type DecisionStore = Pick<AccessReviewRepository, 'lockItems' | 'findCampaign' | 'updateItem'>;

/**
 * A reviewer's decision and its effect on the token, in the caller's transaction with their audit
 * events: keep attests, narrow goes through the token's PATCH rules (never adds a scope), revoke names
 * the campaign as the reason.
 */
@Injectable()
export class ReviewDecisions {
  constructor(
    private readonly audit: AuditLog,
    private readonly editor: TokenEditor,
    private readonly lifecycle: TokenLifecycle,
    @Inject(AccessReviewRepository) private readonly reviews: DecisionStore,
    @Inject(TokenRepository) private readonly tokens: Pick<TokenRepository, 'lockById'>,
  ) {}

  async decide(tx: Tx, principal: Principal, itemId: string, input: DecisionInput, meta: RequestMeta): Promise<void> {
    const [item] = await this.reviews.lockItems(tx, [itemId]);
    if (!item) throw DomainError.notFound('The review item');
    const campaign = await this.decidable(tx, item);
    const token = (await this.tokens.lockById(tx, item.tokenId)) ?? null;
    assertMayDecide(principal, item, token, campaign.separationOfDuties);
    const effect = await this.apply(tx, principal, campaign, token, input, meta);
    await this.record(tx, principal, campaign, item, input, effect, meta);
  }

  /** Keep for every item, or for none: each must be pending, in an open campaign, and the caller's to decide. */
  async keepAll(tx: Tx, principal: Principal, itemIds: readonly string[], comment: string, meta: RequestMeta): Promise<void> {
    const items = await this.reviews.lockItems(tx, itemIds);
    const found = new Set(items.map((i) => i.id));
    const missing = itemIds.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new DomainError(ErrorCode.NOT_FOUND, `${missing.length} of the items were not found; nothing was decided.`,
        missing.slice(0, 50).map((id) => ({ field: 'itemIds', message: `${id} was not found` })));
    }
    const campaigns = new Map<string, CampaignRecord>();
    for (const item of items) {
      if (!campaigns.has(item.campaignId)) campaigns.set(item.campaignId, await this.decidable(tx, item));
      const token = (await this.tokens.lockById(tx, item.tokenId)) ?? null;
      assertMayDecide(principal, item, token, campaigns.get(item.campaignId)!.separationOfDuties);
    }
    for (const item of items) {
      await this.record(tx, principal, campaigns.get(item.campaignId)!, item, { decision: 'keep', comment }, 'attested', meta, true);
    }
  }

  /** The item's campaign, when the item can still be decided. */
  private async decidable(tx: Tx, item: ItemRecord & { campaignStatus: string }): Promise<CampaignRecord> {
    if (item.campaignStatus !== 'open') throw new DomainError(ErrorCode.CONFLICT, `The campaign of item ${item.id} is closed.`);
    if (item.status !== 'pending') throw new DomainError(ErrorCode.CONFLICT, `Item ${item.id} is ${item.status} already.`);
    return (await this.reviews.findCampaign(tx, item.campaignId))!;
  }

  private async apply(tx: Tx, principal: Principal, campaign: CampaignRecord, token: TokenEntity | null, input: DecisionInput, meta: RequestMeta): Promise<string> {
    if (input.decision === 'narrow' && (!input.scopes || input.scopes.length === 0)) {
      throw DomainError.validation([{ field: 'scopes', message: 'narrow keeps at least one of the token\'s scopes; to remove them all, revoke' }]);
    }
    if (input.decision !== 'narrow' && input.scopes !== undefined) throw DomainError.validation([{ field: 'scopes', message: 'only a narrow decision takes scopes' }]);
    if (input.decision === 'keep') return 'attested';
    if (!token || token.status === 'revoked' || token.status === 'expired') return `none: token is ${token?.status ?? 'gone'}`;
    const reason = campaignReason(campaign);
    if (input.decision === 'revoke') {
      if (!canTransition(token.status, 'revoke')) return `none: token is ${token.status}`;
      await this.lifecycle.applyLocked(tx, token, 'revoke', {
        actor: actorOf(principal),
        meta,
        fields: (now) => ({ revokedAt: now, revokedBy: principal.id, revokedReason: reason }),
        data: { reason, campaignId: campaign.id },
      });
      return 'revoked';
    }
    const scopes = input.scopes!;
    const added = missingScopes(scopes, token.scopes);
    if (added.length > 0) {
      throw new DomainError(ErrorCode.SCOPE_ESCALATION, `Narrowing never adds a scope; the token does not hold ${added.join(', ')}.`,
        added.map(() => ({ field: 'scopes', message: 'must be a subset of the token\'s current scopes' })));
    }
    const removed = token.scopes.filter((s) => !scopes.includes(s));
    await this.editor.patchLocked(tx, principal, token, { scopes, reason }, meta);
    return removed.length > 0 ? `narrowed: removed ${removed.join(', ')}` : 'unchanged: no scope removed';
  }

  private async record(
    tx: Tx,
    principal: Principal,
    campaign: CampaignRecord,
    item: ItemRecord,
    input: DecisionInput,
    effect: string,
    meta: RequestMeta,
    bulk = false,
  ): Promise<void> {
    const decidedAt = new Date();
    const decidedScopes = input.decision === 'narrow' ? [...input.scopes!] : null;
    await this.reviews.updateItem(tx, item.id, {
      status: 'decided',
      decision: input.decision,
      decidedScopes,
      comment: input.comment,
      decidedBy: principal.id,
      decidedAt,
      effect,
    });
    await this.audit.record(tx, meta, {
      action: 'review.decided',
      actor: actorOf(principal),
      target: { type: 'token', id: item.tokenId },
      data: {
        campaignId: campaign.id,
        itemId: item.id,
        decision: input.decision,
        ...(decidedScopes ? { scopes: decidedScopes } : {}),
        comment: input.comment,
        effect,
        ...(bulk ? { bulk: true } : {}),
      },
    });
  }
}

/** Whether the principal may decide the item: its reviewer, or an owner or admin; never a self-issued token under separation of duties. */
export function assertMayDecide(principal: Principal, item: ItemRecord, token: { createdBy: string | null } | null, separationOfDuties: boolean): void {
  if (!principal.scopes.includes('custos:reviews:write')) {
    if (principal.kind !== 'user' || item.reviewerUserId !== principal.id) {
      throw DomainError.forbidden(item.reviewerUserId ? 'This item is assigned to another reviewer.' : 'An owner or admin reviews this item.');
    }
  }
  if (separationOfDuties && token && isSelfIssued({ createdBy: token.createdBy, stewardUserId: item.stewardUserId }, principal.id)) {
    throw DomainError.forbidden('Separation of duties: nobody reviews a token they issued to themselves; another owner or admin decides it.');
  }
}
