import type { Schemas } from '@custos/api-client';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../shared/api/client';
import { auditKeys } from '../../audit/api/audit.queries';
import { hasPendingDelivery } from './deliveries';

export type Webhook = Schemas['WebhookResponse'];
export type WebhookWithSecret = Schemas['CreatedWebhookResponse'];
export type CreateWebhookRequest = Schemas['CreateWebhookDto'];
export type UpdateWebhookRequest = Schemas['UpdateWebhookDto'];
export type WebhookEvent = Webhook['events'][number];
export type Delivery = Schemas['WebhookDeliveryResponse'];
export type DeliveryStatus = Delivery['status'];

const DELIVERY_PAGE_SIZE = 20;
/** How often the deliveries are read again while one is still pending (the worker sends within a second or so). */
const DELIVERY_POLL_MS = 2_000;

export const webhookKeys = {
  all: ['webhooks'] as const,
  list: () => [...webhookKeys.all, 'list'] as const,
  deliveries: (webhookId: string, status: DeliveryStatus | null) => [...webhookKeys.all, 'deliveries', webhookId, status] as const,
};

/** The live endpoints, newest first; at most 50, so one page. */
export function useWebhooks() {
  return useQuery({
    queryKey: webhookKeys.list(),
    queryFn: async ({ signal }) => (await unwrap(api.GET('/v1/webhooks', { signal }))).items,
  });
}

/** Newest first in keyset pages; read again every few seconds while one is pending. */
export function useDeliveries(webhookId: string, status: DeliveryStatus | null) {
  return useInfiniteQuery({
    queryKey: webhookKeys.deliveries(webhookId, status),
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/v1/webhooks/{id}/deliveries', {
          params: {
            path: { id: webhookId },
            query: { limit: DELIVERY_PAGE_SIZE, ...(status ? { status } : {}), ...(pageParam ? { cursor: pageParam } : {}) },
          },
          signal,
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    refetchInterval: (query) => (hasPendingDelivery(query.state.data?.pages.flatMap((p) => p.items) ?? []) ? DELIVERY_POLL_MS : false),
  });
}

/** Every webhook change is an audit event, and may change the list and the deliveries. */
function useInvalidateWebhooks() {
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: webhookKeys.all }), queryClient.invalidateQueries({ queryKey: auditKeys.all })]);
}

export function useCreateWebhook() {
  const invalidate = useInvalidateWebhooks();
  return useMutation({ mutationFn: (body: CreateWebhookRequest) => unwrap(api.POST('/v1/webhooks', { body })), onSuccess: invalidate });
}

/** Edits, and disabling or enabling (`{ enabled }`). */
export function useUpdateWebhook(id: string) {
  const invalidate = useInvalidateWebhooks();
  return useMutation({
    mutationFn: (body: UpdateWebhookRequest) => unwrap(api.PATCH('/v1/webhooks/{id}', { params: { path: { id } }, body })),
    onSuccess: invalidate,
  });
}

export function useRotateWebhookSecret(id: string) {
  const invalidate = useInvalidateWebhooks();
  return useMutation({
    mutationFn: (gracePeriodSeconds: number) =>
      unwrap(api.POST('/v1/webhooks/{id}/rotate-secret', { params: { path: { id } }, body: { gracePeriodSeconds } })),
    onSuccess: invalidate,
  });
}

export function useSendTestEvent(id: string) {
  const invalidate = useInvalidateWebhooks();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/v1/webhooks/{id}/test', { params: { path: { id } }, body: {} })),
    onSuccess: invalidate,
  });
}

export function useResendDelivery(webhookId: string) {
  const invalidate = useInvalidateWebhooks();
  return useMutation({
    mutationFn: (deliveryId: string) =>
      unwrap(api.POST('/v1/webhooks/{id}/deliveries/{deliveryId}/resend', { params: { path: { id: webhookId, deliveryId } }, body: {} })),
    onSuccess: invalidate,
  });
}

export function useDeleteWebhook(id: string) {
  const invalidate = useInvalidateWebhooks();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE('/v1/webhooks/{id}', { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}
