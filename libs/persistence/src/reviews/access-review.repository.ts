import { Injectable } from '@nestjs/common';
import type { ReviewCampaignStatus, ReviewDecision, ReviewerChoice, ReviewItemStatus, ReviewOverdueAction, ReviewScope } from '@custos/contracts';
import type { Tx } from '../database/database';

export interface CampaignRecord {
  id: string;
  name: string;
  scope: ReviewScope;
  reviewer: ReviewerChoice;
  onOverdue: ReviewOverdueAction;
  separationOfDuties: boolean;
  dueAt: Date;
  remindAt: Date | null;
  status: ReviewCampaignStatus;
  createdBy: string;
  createdAt: Date;
  scheduledFor: Date | null;
  remindedAt: Date | null;
  overdueAppliedAt: Date | null;
  closedAt: Date | null;
  closedBy: string | null;
  /** The signed report in each format, once closed. */
  reportIds: Record<string, string> | null;
}

export type NewCampaign = Pick<
  CampaignRecord,
  'id' | 'name' | 'scope' | 'reviewer' | 'onOverdue' | 'separationOfDuties' | 'dueAt' | 'remindAt' | 'createdBy' | 'createdAt' | 'scheduledFor'
>;

/** A token in a campaign's scope, as its item is made from it. */
export interface ReviewCandidate {
  id: string;
  name: string;
  scopes: string[];
  stewardUserId: string | null;
  createdBy: string | null;
}

export interface NewItem {
  id: string;
  tokenId: string;
  tokenName: string;
  tokenScopes: string[];
  stewardUserId: string | null;
  reviewerUserId: string | null;
}

export interface ItemRecord extends NewItem {
  campaignId: string;
  status: ReviewItemStatus;
  decision: ReviewDecision | null;
  decidedScopes: string[] | null;
  comment: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  effect: string | null;
}

/** An item with what its reviewer decides by: the token as it is now and how it was used. */
export interface ItemWithUse extends ItemRecord {
  tokenStatus: string | null;
  lastUsedAt: Date | null;
  countries: string[];
  /** The token's scopes asked for by a VALID verify since the window's start. */
  scopesUsed: string[];
  campaignName: string;
  dueAt: Date;
}

export interface ItemFilter {
  itemId?: string | undefined;
  campaignId?: string | undefined;
  /** Items this user reviews, and when `orUnassigned` those any owner or admin reviews. */
  reviewer?: { userId: string; orUnassigned: boolean } | undefined;
  status?: ReviewItemStatus | undefined;
}

export interface CampaignProgress {
  total: number;
  pending: number;
  overdue: number;
  decided: Record<ReviewDecision, number>;
}

export type ItemDecisionChange = Pick<ItemRecord, 'status' | 'decision' | 'decidedScopes' | 'comment' | 'decidedBy' | 'decidedAt' | 'effect'>;

const CAMPAIGN_COLUMNS = `id, name, scope, reviewer, on_overdue, separation_of_duties, due_at, remind_at, status, created_by, created_at,
  scheduled_for, reminded_at, overdue_applied_at, closed_at, closed_by, report_ids`;
const ITEM_COLUMNS = `i.id, i.campaign_id, i.token_id, i.token_name, i.token_scopes, i.steward_user_id, i.reviewer_user_id, i.status,
  i.decision, i.decided_scopes, i.comment, i.decided_by, i.decided_at, i.effect`;

interface CampaignRow {
  id: string;
  name: string;
  scope: ReviewScope;
  reviewer: ReviewerChoice;
  on_overdue: ReviewOverdueAction;
  separation_of_duties: boolean;
  due_at: Date;
  remind_at: Date | null;
  status: ReviewCampaignStatus;
  created_by: string;
  created_at: Date;
  scheduled_for: Date | null;
  reminded_at: Date | null;
  overdue_applied_at: Date | null;
  closed_at: Date | null;
  closed_by: string | null;
  report_ids: Record<string, string> | null;
}

interface ItemRow {
  id: string;
  campaign_id: string;
  token_id: string;
  token_name: string;
  token_scopes: string[];
  steward_user_id: string | null;
  reviewer_user_id: string | null;
  status: ReviewItemStatus;
  decision: ReviewDecision | null;
  decided_scopes: string[] | null;
  comment: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  effect: string | null;
}

/** Campaigns, their items and their decisions, in the transaction's tenant. */
@Injectable()
export class AccessReviewRepository {
  /** Inserts the campaign; a scheduled one already opened for its period (by another worker) gives false. */
  async insertCampaign(tx: Tx, c: NewCampaign): Promise<boolean> {
    const rows = await tx.rows(
      `INSERT INTO access_review_campaigns (tenant_id, id, name, scope, reviewer, on_overdue, separation_of_duties, due_at, remind_at, created_by, created_at, scheduled_for)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (tenant_id, scheduled_for) WHERE scheduled_for IS NOT NULL DO NOTHING RETURNING 1`,
      [tx.tenantId, c.id, c.name, c.scope, JSON.stringify(c.reviewer), c.onOverdue, c.separationOfDuties, c.dueAt, c.remindAt, c.createdBy, c.createdAt, c.scheduledFor],
    );
    return rows.length === 1;
  }

  /** The tokens active now that the scope takes in: every criterion given must hold. */
  async candidates(tx: Tx, scope: ReviewScope): Promise<ReviewCandidate[]> {
    const where = [`status = 'active'`];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (scope.serviceIds) add('owner_service_id = ANY(?::text[])', scope.serviceIds);
    if (scope.dataCategories) add('data_categories && ?::text[]', scope.dataCategories);
    if (scope.scopesAny) add('scopes && ?::text[]', scope.scopesAny);
    const rows = await tx.rows<{ id: string; name: string; scopes: string[]; steward_user_id: string | null; created_by: string | null }>(
      `SELECT id, name, scopes, steward_user_id, created_by FROM tokens WHERE ${where.join(' AND ')} ORDER BY id`,
      params,
    );
    return rows.map((r) => ({ id: r.id, name: r.name, scopes: r.scopes, stewardUserId: r.steward_user_id, createdBy: r.created_by }));
  }

  async insertItems(tx: Tx, campaignId: string, items: readonly NewItem[]): Promise<void> {
    if (items.length === 0) return;
    await tx.rows(
      `INSERT INTO access_review_items (tenant_id, id, campaign_id, token_id, token_name, token_scopes, steward_user_id, reviewer_user_id)
       SELECT $1, u.id, $2, u.token_id, u.token_name, string_to_array(u.scopes, ' '), u.steward, u.reviewer
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS u(id, token_id, token_name, scopes, steward, reviewer)`,
      [
        tx.tenantId,
        campaignId,
        items.map((i) => i.id),
        items.map((i) => i.tokenId),
        items.map((i) => i.tokenName),
        // Scopes hold no spaces (scopeFieldErrors); one text per item, since unnest flattens arrays of arrays.
        items.map((i) => i.tokenScopes.join(' ')),
        items.map((i) => i.stewardUserId),
        items.map((i) => i.reviewerUserId),
      ],
    );
  }

  async findCampaign(tx: Tx, id: string): Promise<CampaignRecord | null> {
    const [row] = await tx.rows<CampaignRow>(`SELECT ${CAMPAIGN_COLUMNS} FROM access_review_campaigns WHERE tenant_id = $1 AND id = $2`, [tx.tenantId, id]);
    return row ? campaignOf(row) : null;
  }

  async lockCampaign(tx: Tx, id: string): Promise<CampaignRecord | null> {
    const [row] = await tx.rows<CampaignRow>(`SELECT ${CAMPAIGN_COLUMNS} FROM access_review_campaigns WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [
      tx.tenantId,
      id,
    ]);
    return row ? campaignOf(row) : null;
  }

  /** Newest first, keyset-paged by id (ids sort by creation). */
  async listCampaigns(tx: Tx, status: ReviewCampaignStatus | undefined, before: string | null, limit: number): Promise<CampaignRecord[]> {
    const rows = await tx.rows<CampaignRow>(
      `SELECT ${CAMPAIGN_COLUMNS} FROM access_review_campaigns
        WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR id < $3)
        ORDER BY id DESC LIMIT $4`,
      [tx.tenantId, status ?? null, before, limit],
    );
    return rows.map(campaignOf);
  }

  async progress(tx: Tx, campaignIds: readonly string[]): Promise<Map<string, CampaignProgress>> {
    const rows = await tx.rows<{ campaign_id: string; status: ReviewItemStatus; decision: ReviewDecision | null; n: string }>(
      `SELECT campaign_id, status, decision, count(*) AS n FROM access_review_items
        WHERE tenant_id = $1 AND campaign_id = ANY($2::text[]) GROUP BY 1, 2, 3`,
      [tx.tenantId, campaignIds],
    );
    const progress = new Map<string, CampaignProgress>(
      campaignIds.map((id) => [id, { total: 0, pending: 0, overdue: 0, decided: { keep: 0, narrow: 0, revoke: 0 } }]),
    );
    for (const r of rows) {
      const p = progress.get(r.campaign_id)!;
      const n = Number(r.n);
      p.total += n;
      if (r.status === 'pending') p.pending += n;
      else if (r.status === 'overdue') p.overdue += n;
      else if (r.decision) p.decided[r.decision] += n;
    }
    return progress;
  }

  /** Items in id order after `after`, with the token's use; `scopesUsedSince` bounds what counts as used. */
  async items(tx: Tx, filter: ItemFilter, scopesUsedSince: Date, after: string | null, limit: number): Promise<ItemWithUse[]> {
    const where = ['i.tenant_id = $1'];
    const params: unknown[] = [tx.tenantId, scopesUsedSince];
    const add = (sql: string, ...values: unknown[]) => {
      let text = sql;
      for (const value of values) {
        params.push(value);
        text = text.replace('?', `$${params.length}`);
      }
      where.push(text);
    };
    if (filter.itemId) add('i.id = ?', filter.itemId);
    if (filter.campaignId) add('i.campaign_id = ?', filter.campaignId);
    if (filter.status) add('i.status = ?', filter.status);
    if (filter.reviewer) {
      add(filter.reviewer.orUnassigned ? '(i.reviewer_user_id = ? OR i.reviewer_user_id IS NULL)' : 'i.reviewer_user_id = ?', filter.reviewer.userId);
    }
    if (after) add('i.id > ?', after);
    params.push(limit);
    const rows = await tx.rows<
      ItemRow & { token_status: string | null; last_used_at: Date | null; countries_seen: string[] | null; scopes_used: string[]; campaign_name: string; due_at: Date }
    >(
      `SELECT ${ITEM_COLUMNS}, t.status AS token_status, t.last_used_at, t.countries_seen, c.name AS campaign_name, c.due_at,
              coalesce((SELECT array_agg(s.scope ORDER BY s.scope) FROM token_scope_uses s
                         WHERE s.tenant_id = i.tenant_id AND s.token_id = i.token_id AND s.last_used_at >= $2), '{}') AS scopes_used
         FROM access_review_items i
         JOIN access_review_campaigns c ON c.tenant_id = i.tenant_id AND c.id = i.campaign_id
         LEFT JOIN tokens t ON t.tenant_id = i.tenant_id AND t.id = i.token_id
        WHERE ${where.join(' AND ')}
        ORDER BY i.id LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({
      ...itemOf(r),
      tokenStatus: r.token_status,
      lastUsedAt: r.last_used_at,
      countries: r.countries_seen ?? [],
      scopesUsed: r.scopes_used,
      campaignName: r.campaign_name,
      dueAt: r.due_at,
    }));
  }

  /** The items, locked for a decision, with their campaign's status. */
  async lockItems(tx: Tx, ids: readonly string[]): Promise<(ItemRecord & { campaignStatus: ReviewCampaignStatus })[]> {
    const rows = await tx.rows<ItemRow & { campaign_status: ReviewCampaignStatus }>(
      `SELECT ${ITEM_COLUMNS}, c.status AS campaign_status
         FROM access_review_items i JOIN access_review_campaigns c ON c.tenant_id = i.tenant_id AND c.id = i.campaign_id
        WHERE i.tenant_id = $1 AND i.id = ANY($2::text[]) ORDER BY i.id FOR UPDATE OF i`,
      [tx.tenantId, ids],
    );
    return rows.map((r) => ({ ...itemOf(r), campaignStatus: r.campaign_status }));
  }

  /** A campaign's undecided items, locked: the overdue pass acts on them. */
  async lockPending(tx: Tx, campaignId: string): Promise<ItemRecord[]> {
    const rows = await tx.rows<ItemRow>(
      `SELECT ${ITEM_COLUMNS} FROM access_review_items i
        WHERE i.tenant_id = $1 AND i.campaign_id = $2 AND i.status = 'pending' ORDER BY i.id FOR UPDATE`,
      [tx.tenantId, campaignId],
    );
    return rows.map(itemOf);
  }

  /** Every item of a campaign in id order after `after`: the report reads them in pages. */
  async campaignItems(tx: Tx, campaignId: string, after: string | null, limit: number): Promise<ItemRecord[]> {
    const rows = await tx.rows<ItemRow>(
      `SELECT ${ITEM_COLUMNS} FROM access_review_items i
        WHERE i.tenant_id = $1 AND i.campaign_id = $2 AND ($3::text IS NULL OR i.id > $3) ORDER BY i.id LIMIT $4`,
      [tx.tenantId, campaignId, after, limit],
    );
    return rows.map(itemOf);
  }

  async updateItem(tx: Tx, id: string, change: ItemDecisionChange): Promise<void> {
    await tx.rows(
      `UPDATE access_review_items SET status = $3, decision = $4, decided_scopes = $5, comment = $6, decided_by = $7, decided_at = $8, effect = $9
        WHERE tenant_id = $1 AND id = $2`,
      [tx.tenantId, id, change.status, change.decision, change.decidedScopes, change.comment, change.decidedBy, change.decidedAt, change.effect],
    );
  }

  /** Open campaigns whose reminder is due and not sent, claimed: the returned ones are this caller's to announce. */
  async claimReminders(tx: Tx, now: Date): Promise<CampaignRecord[]> {
    const rows = await tx.rows<CampaignRow>(
      `UPDATE access_review_campaigns SET reminded_at = $2
        WHERE tenant_id = $1 AND status = 'open' AND remind_at <= $2 AND reminded_at IS NULL AND due_at > $2
        RETURNING ${CAMPAIGN_COLUMNS}`,
      [tx.tenantId, now],
    );
    return rows.map(campaignOf);
  }

  /** Open campaigns past their due date, locked; another worker's are skipped. */
  async lockDue(tx: Tx, now: Date, limit: number): Promise<CampaignRecord[]> {
    const rows = await tx.rows<CampaignRow>(
      `SELECT ${CAMPAIGN_COLUMNS} FROM access_review_campaigns
        WHERE tenant_id = $1 AND status = 'open' AND due_at <= $2 ORDER BY due_at, id LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [tx.tenantId, now, limit],
    );
    return rows.map(campaignOf);
  }

  async markOverdueApplied(tx: Tx, id: string, at: Date): Promise<void> {
    await tx.rows(`UPDATE access_review_campaigns SET overdue_applied_at = $3 WHERE tenant_id = $1 AND id = $2`, [tx.tenantId, id, at]);
  }

  async close(tx: Tx, id: string, at: Date, by: string, reportIds: Record<string, string>): Promise<void> {
    await tx.rows(
      `UPDATE access_review_campaigns SET status = 'closed', closed_at = $3, closed_by = $4, report_ids = $5 WHERE tenant_id = $1 AND id = $2`,
      [tx.tenantId, id, at, by, reportIds],
    );
  }

  /** Undecided items per reviewer (null: owners and admins), for the reminder. */
  async pendingByReviewer(tx: Tx, campaignId: string): Promise<{ reviewerUserId: string | null; pending: number }[]> {
    const rows = await tx.rows<{ reviewer_user_id: string | null; n: string }>(
      `SELECT reviewer_user_id, count(*) AS n FROM access_review_items
        WHERE tenant_id = $1 AND campaign_id = $2 AND status = 'pending' GROUP BY 1 ORDER BY 1 NULLS LAST`,
      [tx.tenantId, campaignId],
    );
    return rows.map((r) => ({ reviewerUserId: r.reviewer_user_id, pending: Number(r.n) }));
  }

  /** Up to `limit` tenants with review work due at `now`, across tenants (a system transaction). */
  async tenantsWithDue(tx: Tx, now: Date, limit: number): Promise<string[]> {
    const rows = await tx.rows<{ t: string }>(`SELECT custos_tenants_with_due_reviews($1, $2) AS t`, [now, limit]);
    return rows.map((r) => r.t);
  }

  /** The newest scheduled campaign's period, or null. */
  async lastScheduledFor(tx: Tx): Promise<Date | null> {
    const row = await tx.one<{ at: Date | null }>(
      `SELECT max(scheduled_for) AS at FROM access_review_campaigns WHERE tenant_id = $1 AND scheduled_for IS NOT NULL`,
      [tx.tenantId],
    );
    return row?.at ?? null;
  }
}

function campaignOf(r: CampaignRow): CampaignRecord {
  return {
    id: r.id,
    name: r.name,
    scope: r.scope,
    reviewer: r.reviewer,
    onOverdue: r.on_overdue,
    separationOfDuties: r.separation_of_duties,
    dueAt: r.due_at,
    remindAt: r.remind_at,
    status: r.status,
    createdBy: r.created_by,
    createdAt: r.created_at,
    scheduledFor: r.scheduled_for,
    remindedAt: r.reminded_at,
    overdueAppliedAt: r.overdue_applied_at,
    closedAt: r.closed_at,
    closedBy: r.closed_by,
    reportIds: r.report_ids,
  };
}

function itemOf(r: ItemRow): ItemRecord {
  return {
    id: r.id,
    campaignId: r.campaign_id,
    tokenId: r.token_id,
    tokenName: r.token_name,
    tokenScopes: r.token_scopes,
    stewardUserId: r.steward_user_id,
    reviewerUserId: r.reviewer_user_id,
    status: r.status,
    decision: r.decision,
    decidedScopes: r.decided_scopes,
    comment: r.comment,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    effect: r.effect,
  };
}
