import type { RouteSpec } from './route-spec';
import { BOTH, NO_BODY, fixtureOf, ids } from './shared';

/** An open campaign of A over one new token; params.itemId is that token's item. */
const CAMPAIGN: RouteSpec['object'] = { kind: 'access_review', make: (w) => w.newCampaign() };

/** The item of such a campaign (params.campaignId: its campaign). */
const REVIEW_ITEM: RouteSpec['object'] = {
  kind: 'review_item',
  async make(w) {
    const campaign = await w.newCampaign();
    const itemId = campaign.params!.itemId!;
    return { id: itemId, name: campaign.name, params: { itemId, campaignId: campaign.id } };
  },
};

const tomorrow = (): string => new Date(Date.now() + 86_400_000).toISOString();

/** The access review routes of the catalogue (docs/access-reviews.md). */
export const REVIEW_ROUTES: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/v1/access-reviews',
    access: { scope: 'custos:reviews:write' },
    valid: () => ({ body: { name: 'route suite review', scope: { scopesAny: ['route-suite:none'] }, dueAt: tomorrow(), reviewer: 'steward', onOverdue: 'suspend' } }),
    success: {
      status: 201,
      as: BOTH,
      audit: ['review.campaign_opened'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: expect.stringMatching(/^arc_/), status: 'open', onOverdue: 'suspend', progress: { total: 0 } });
        expect(c.after.accessReviews).toBe(c.before.accessReviews + 1);
      },
    },
    invalid: {
      request: () => ({ body: { name: '', scope: { all: false }, dueAt: 'soon', reviewer: 'boss', onOverdue: 'delete', colour: 'red' } }),
      fields: ['name', 'scope.all', 'dueAt', 'reviewer', 'onOverdue', 'colour'],
    },
    crossTenant: { notApplicable: "creates in the caller's own tenant and names no existing object" },
  },
  {
    method: 'GET',
    path: '/v1/access-reviews',
    access: { scope: 'custos:reviews:read' },
    object: CAMPAIGN,
    valid: () => ({ query: 'status=open&limit=200' }),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(ids(res.body)).toContain(fixtureOf(c).id);
      },
    },
    invalid: { request: () => ({ query: 'status=done&limit=0&colour=red' }), fields: ['status', 'limit', 'colour'] },
    crossTenant: { kind: 'list', ids, mine: (c) => fixtureOf(c).id },
  },
  {
    method: 'GET',
    path: '/v1/access-reviews/:id',
    access: { scope: 'custos:reviews:read' },
    object: CAMPAIGN,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, status: 'open', progress: { total: 1, pending: 1 } });
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'object', outcome: { status: 404, code: 'NOT_FOUND' } },
  },
  {
    method: 'GET',
    path: '/v1/access-reviews/items',
    access: { scope: 'custos:reviews:read' },
    object: CAMPAIGN,
    valid: (c) => ({ query: `campaignId=${fixtureOf(c).id}&status=pending` }),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(ids(res.body)).toEqual([fixtureOf(c).params!.itemId]);
        expect((res.body as { items: Array<{ tokenId: string }> }).items[0]).toMatchObject({ tokenId: fixtureOf(c).name, scopesUnused90d: [expect.any(String)] });
      },
    },
    invalid: { request: () => ({ query: 'status=done&assignedTo=you&colour=red' }), fields: ['status', 'assignedTo', 'colour'] },
    crossTenant: { kind: 'list', ids, mine: (c) => fixtureOf(c).params!.itemId! },
  },
  {
    method: 'POST',
    path: '/v1/access-reviews/items/:itemId/decision',
    access: { scope: 'custos:reviews:decide' },
    object: REVIEW_ITEM,
    valid: () => ({ body: { decision: 'keep', comment: 'still needed by the route suite' } }),
    success: {
      status: 200,
      // A key holding decide alone decides only the items assigned to it, and keys are assigned none.
      as: ['scoped-key', 'owner-key'],
      alsoHolds: ['custos:reviews:write'],
      audit: ['review.decided'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).params!.itemId, status: 'decided', decision: 'keep', effect: 'attested' });
        expect(c.after.answeredReviewItems).toBe(c.before.answeredReviewItems + 1);
      },
    },
    invalid: { request: () => ({ body: { decision: 'maybe', scopes: 'all', comment: '', colour: 'red' } }), fields: ['decision', 'scopes', 'comment', 'colour'] },
    crossTenant: { kind: 'object', outcome: { status: 404, code: 'NOT_FOUND' } },
  },
  {
    method: 'POST',
    path: '/v1/access-reviews/items/keep',
    access: { scope: 'custos:reviews:decide' },
    object: REVIEW_ITEM,
    valid: (c) => ({ body: { itemIds: [fixtureOf(c).params!.itemId], comment: 'all still needed' } }),
    success: {
      status: 200,
      as: ['scoped-key', 'owner-key'],
      alsoHolds: ['custos:reviews:write'],
      audit: ['review.decided'],
      check(res, c) {
        expect(res.body).toMatchObject({ items: [{ id: fixtureOf(c).params!.itemId, decision: 'keep' }] });
        expect(c.after.answeredReviewItems).toBe(c.before.answeredReviewItems + 1);
      },
    },
    invalid: { request: () => ({ body: { itemIds: [], comment: 7, colour: 'red' } }), fields: ['itemIds', 'comment', 'colour'] },
    crossTenant: { kind: 'object', outcome: { status: 404, code: 'NOT_FOUND', field: 'itemIds' } },
  },
  {
    method: 'POST',
    path: '/v1/access-reviews/:id/close',
    access: { scope: 'custos:reviews:write' },
    object: CAMPAIGN,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: ['review.campaign_closed', 'report.requested', 'report.requested', 'report.requested'],
      check(res, c) {
        expect(res.body).toMatchObject({ campaign: { id: fixtureOf(c).id, status: 'closed' }, reportId: expect.stringMatching(/^rpt_/) });
        expect(Object.keys((res.body as { reportIds: object }).reportIds).sort()).toEqual(['csv', 'json', 'pdf']);
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'object', outcome: { status: 404, code: 'NOT_FOUND' } },
  },
];
