import type { Delivery, DeliveryStatus } from './webhooks.queries';

/** True while the list is worth reading again: the worker will still change a delivery. */
export function hasPendingDelivery(deliveries: ReadonlyArray<Pick<Delivery, 'status'>>): boolean {
  return deliveries.some((d) => d.status === 'pending');
}

export const DELIVERY_STATUS_COLORS: Record<DeliveryStatus, string> = {
  pending: 'blue',
  delivered: 'green',
  failed: 'red',
  cancelled: 'gray',
};

/**
 * What the receiver answered to an attempt, in a few words: its HTTP status (with why it still counts as
 * a failure, e.g. a redirect), or why there was no answer; null when there was no attempt.
 */
export function answerOf(status: number | null | undefined, error: string | null | undefined): string | null {
  if (status !== null && status !== undefined) return error ? `HTTP ${status}: ${error}` : `HTTP ${status}`;
  return error || null;
}
