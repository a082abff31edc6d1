import type { QueryOf, Schemas } from '@custos/api-client';
import { keepPreviousData, useInfiniteQuery, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../shared/api/client';
import { auditKeys } from '../../audit/api/audit.queries';
import type { Report } from '../../compliance/api/compliance.queries';
import { hasUnfinishedReport } from '../../compliance/api/reports';
import { tokenKeys } from '../../tokens/api/tokens.queries';

export type Campaign = Schemas['CampaignResponse'];
export type CampaignProgress = Campaign['progress'];
export type ReviewScope = Schemas['ReviewScopeDto'];
export type Reviewer = Campaign['reviewer'];
export type OverdueAction = Campaign['onOverdue'];
export type CreateCampaignRequest = Schemas['CreateCampaignDto'];
export type ClosedCampaign = Schemas['ClosedCampaignResponse'];
export type ReviewItem = Schemas['ReviewItemResponse'];
export type ReviewItemStatus = ReviewItem['status'];
export type Decision = NonNullable<ReviewItem['decision']>;
export type DecisionRequest = Schemas['DecisionDto'];
/** GET /v1/access-reviews/items's filters (without the page cursor). */
export type ReviewItemParams = Omit<QueryOf<'/v1/access-reviews/items'>, 'cursor'>;
export type CampaignListParams = Omit<QueryOf<'/v1/access-reviews'>, 'cursor'>;

/** The most items one page holds: the queue's count reads "200+" beyond it rather than a wrong figure. */
export const REVIEW_COUNT_CAP = 200;
const PAGE_SIZE = 50;
/** How often a closed campaign's reports are read again while the worker makes them. */
const REPORT_POLL_MS = 2_000;

/** The caller's queue: what My reviews lists and the navigation counts. */
export const MY_PENDING: ReviewItemParams = { assignedTo: 'me', status: 'pending' };

export const reviewKeys = {
  all: ['reviews'] as const,
  campaigns: (params: CampaignListParams) => [...reviewKeys.all, 'campaigns', params] as const,
  campaign: (id: string) => [...reviewKeys.all, 'campaign', id] as const,
  items: (params: ReviewItemParams) => [...reviewKeys.all, 'items', params] as const,
  pendingCount: () => [...reviewKeys.all, 'pending-count'] as const,
  report: (id: string) => [...reviewKeys.all, 'report', id] as const,
};

/** Newest first in keyset pages. */
export function useCampaigns(params: CampaignListParams = {}) {
  return useInfiniteQuery({
    queryKey: reviewKeys.campaigns(params),
    queryFn: ({ pageParam, signal }) =>
      unwrap(api.GET('/v1/access-reviews', { params: { query: { limit: PAGE_SIZE, ...params, ...(pageParam ? { cursor: pageParam } : {}) } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useCampaign(id: string) {
  return useQuery({
    queryKey: reviewKeys.campaign(id),
    queryFn: ({ signal }) => unwrap(api.GET('/v1/access-reviews/{id}', { params: { path: { id } }, signal })),
  });
}

/** A campaign's items or the caller's queue, in id order, in keyset pages. */
export function useReviewItems(params: ReviewItemParams, enabled = true) {
  return useInfiniteQuery({
    queryKey: reviewKeys.items(params),
    queryFn: ({ pageParam, signal }) =>
      unwrap(api.GET('/v1/access-reviews/items', { params: { query: { limit: PAGE_SIZE, ...params, ...(pageParam ? { cursor: pageParam } : {}) } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled,
  });
}

/** How many items wait for the caller: exact up to the cap, `capped` beyond it. */
export interface PendingCount {
  count: number;
  capped: boolean;
}

export function usePendingReviewCount(enabled = true) {
  return useQuery({
    queryKey: reviewKeys.pendingCount(),
    queryFn: async ({ signal }): Promise<PendingCount> => {
      const page = await unwrap(api.GET('/v1/access-reviews/items', { params: { query: { ...MY_PENDING, limit: REVIEW_COUNT_CAP } }, signal }));
      return { count: page.items.length, capped: page.nextCursor !== null };
    },
    enabled,
  });
}

/**
 * A decision changes the queue, the campaign's progress, perhaps the token (narrowed, revoked) and the
 * audit trail: all of them are read again.
 */
function useInvalidateAfterDecision() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: reviewKeys.all }),
      queryClient.invalidateQueries({ queryKey: tokenKeys.all }),
      queryClient.invalidateQueries({ queryKey: auditKeys.all }),
    ]);
}

export function useDecideItem() {
  const invalidate = useInvalidateAfterDecision();
  return useMutation({
    mutationFn: ({ itemId, body }: { itemId: string; body: DecisionRequest }) =>
      unwrap(api.POST('/v1/access-reviews/items/{itemId}/decision', { params: { path: { itemId } }, body })),
    onSuccess: invalidate,
  });
}

/** All or nothing: one item the caller may not keep refuses them all. */
export function useKeepItems() {
  const invalidate = useInvalidateAfterDecision();
  return useMutation({
    mutationFn: (body: { itemIds: string[]; comment: string }) => unwrap(api.POST('/v1/access-reviews/items/keep', { body })),
    onSuccess: invalidate,
  });
}

export function useCreateCampaign() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateCampaignRequest) => unwrap(api.POST('/v1/access-reviews', { body })),
    onSuccess: (campaign) => {
      queryClient.setQueryData(reviewKeys.campaign(campaign.id), campaign);
      return Promise.all([queryClient.invalidateQueries({ queryKey: reviewKeys.all }), queryClient.invalidateQueries({ queryKey: auditKeys.all })]);
    },
  });
}

export function useCloseCampaign(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/v1/access-reviews/{id}/close', { params: { path: { id } } })),
    onSuccess: (closed) => {
      queryClient.setQueryData(reviewKeys.campaign(id), closed.campaign);
      return Promise.all([queryClient.invalidateQueries({ queryKey: reviewKeys.all }), queryClient.invalidateQueries({ queryKey: auditKeys.all })]);
    },
  });
}

/** A closed campaign's signed reports, one per format, each read again while the worker still makes it. */
export function useCampaignReports(reportIds: readonly string[]) {
  return useQueries({
    queries: reportIds.map((id) => ({
      queryKey: reviewKeys.report(id),
      queryFn: ({ signal }: { signal: AbortSignal }): Promise<Report> => unwrap(api.GET('/v1/reports/{id}', { params: { path: { id } }, signal })),
      refetchInterval: (query: { state: { data: Report | undefined } }) =>
        query.state.data === undefined || hasUnfinishedReport([query.state.data]) ? REPORT_POLL_MS : false,
    })),
  });
}
