import { Badge, Button, Code, Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { DetailDrawer, DetailHeading, DetailSection } from '../../../shared/components/DetailDrawer';
import { Fact } from '../../../shared/components/Fact';
import { EmptyState, ErrorState, LoadingState } from '../../../shared/components/states';
import { formatDateTime, formatRelative } from '../../../shared/format/format';
import { answerOf, DELIVERY_STATUS_COLORS } from '../api/deliveries';
import { useDeliveries, useResendDelivery, type Delivery, type DeliveryStatus, type Webhook } from '../api/webhooks.queries';
import { LoadMore } from '../../../shared/components/LoadMore';

const FILTERS: Array<{ value: DeliveryStatus | 'all'; label: string }> = [
  { value: 'all', label: 'All' },
  { value: 'pending', label: 'Pending' },
  { value: 'delivered', label: 'Delivered' },
  { value: 'failed', label: 'Failed' },
  { value: 'cancelled', label: 'Cancelled' },
];

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  return (
    <Badge color={DELIVERY_STATUS_COLORS[status]} variant="light" style={{ minWidth: 'max-content' }} data-status={status}>
      {status}
    </Badge>
  );
}

/** When a pending delivery is tried next; "due now" once that time has come (the worker is on it). */
function nextRetry(delivery: Delivery): string {
  if (delivery.status !== 'pending' || !delivery.nextAttemptAt) return '—';
  return Date.parse(delivery.nextAttemptAt) <= Date.now() ? 'due now' : formatRelative(delivery.nextAttemptAt);
}

interface DeliveriesTableProps {
  webhook: Webhook;
  /** Re-send offered: the user may write, and the endpoint is live and enabled. */
  canResend: boolean;
}

/** An endpoint's deliveries, newest first, with a status filter, "load more", and each one's attempts. */
export function DeliveriesTable({ webhook, canResend }: DeliveriesTableProps) {
  const [status, setStatus] = useState<DeliveryStatus | 'all'>('all');
  const [openId, setOpenId] = useState<string | null>(null);
  const deliveries = useDeliveries(webhook.id, status === 'all' ? null : status);
  const resend = useResendDelivery(webhook.id);
  const items = deliveries.data?.pages.flatMap((p) => p.items) ?? [];
  const open = items.find((d) => d.id === openId) ?? null;

  const resendOne = (delivery: Delivery) =>
    resend.mutate(delivery.id, {
      onSuccess: () =>
        notifications.show({
          color: 'green',
          title: 'Re-sent',
          message:
            delivery.status === 'pending'
              ? `${delivery.eventType} is sent again now; the pending delivery was cancelled in its favour.`
              : `${delivery.eventType} is sent again, under the same webhook-id.`,
        }),
      onError: (error) => notifications.show({ color: 'red', title: 'Not re-sent', message: error.message }),
    });

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={3} size="h5">
          Deliveries
        </Title>
        <SegmentedControl size="xs" aria-label="Delivery status" data={FILTERS} value={status} onChange={(v) => setStatus(v as DeliveryStatus | 'all')} />
      </Group>
      {deliveries.isPending ? (
        <LoadingState label="Loading deliveries…" />
      ) : deliveries.isError && items.length === 0 ? (
        <ErrorState error={deliveries.error} onRetry={() => void deliveries.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={status === 'all' ? 'No deliveries yet' : `No ${status} deliveries`}>
          {status === 'all' ? 'Events this endpoint subscribes to show here as they are sent; a test event shows too.' : null}
        </EmptyState>
      ) : (
        <>
          <Table.ScrollContainer minWidth={760}>
            <Table striped highlightOnHover verticalSpacing="xs" aria-label="Deliveries">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Event</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Attempts</Table.Th>
                  <Table.Th>Response</Table.Th>
                  <Table.Th>Next retry</Table.Th>
                  <Table.Th>Time</Table.Th>
                  {canResend ? <Table.Th aria-label="Actions" /> : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((d) => (
                  <Table.Tr key={d.id} data-delivery-id={d.id} style={{ cursor: 'pointer' }} onClick={() => setOpenId(d.id)}>
                    <Table.Td>
                      <Code>{d.eventType}</Code>
                      {d.resentFromId ? (
                        <Text size="xs" c="dimmed">
                          re-send
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <DeliveryStatusBadge status={d.status} />
                    </Table.Td>
                    <Table.Td>{d.attempts}</Table.Td>
                    <Table.Td>
                      <Text size="sm" lineClamp={2} maw={260}>
                        {answerOf(d.lastStatus, d.lastError) ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>{nextRetry(d)}</Table.Td>
                    <Table.Td>{formatDateTime(d.createdAt)}</Table.Td>
                    {canResend ? (
                      <Table.Td>
                        <Button
                          size="xs"
                          variant="default"
                          loading={resend.isPending && resend.variables === d.id}
                          aria-label={`Re-send ${d.eventType} of ${formatDateTime(d.createdAt)}`}
                          onClick={(event) => {
                            event.stopPropagation();
                            resendOne(d);
                          }}
                        >
                          Re-send
                        </Button>
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <LoadMore pages={deliveries} />
        </>
      )}
      <DetailDrawer opened={open !== null} onClose={() => setOpenId(null)} title={open ? `Delivery of ${open.eventType}` : 'Delivery'}>
        {open ? <DeliveryDetail delivery={open} /> : null}
      </DetailDrawer>
    </Stack>
  );
}

function DeliveryDetail({ delivery }: { delivery: Delivery }) {
  return (
    <Stack gap="lg" data-delivery-detail={delivery.id}>
      <DetailHeading status={<DeliveryStatusBadge status={delivery.status} />} id={delivery.id} />
      <Group gap="xl" align="flex-start">
        <Fact label="webhook-id">
          <Code>{delivery.messageId}</Code>
        </Fact>
        <Fact label="Created">{formatDateTime(delivery.createdAt)}</Fact>
        <Fact label="Delivered">{formatDateTime(delivery.deliveredAt)}</Fact>
        <Fact label="Next retry">{nextRetry(delivery)}</Fact>
        {delivery.resentFromId ? (
          <Fact label="Re-send of">
            <Code>{delivery.resentFromId}</Code>
          </Fact>
        ) : null}
      </Group>
      <DetailSection title={`Attempts (${delivery.attempts})`}>
        {delivery.attemptLog.length === 0 ? (
          <Text size="sm" c="dimmed">
            Not tried yet.
          </Text>
        ) : (
          <Table verticalSpacing={4} aria-label="Attempts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>At</Table.Th>
                <Table.Th>Answer</Table.Th>
                <Table.Th>Took</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {delivery.attemptLog.map((a) => (
                <Table.Tr key={a.at}>
                  <Table.Td>{formatDateTime(a.at)}</Table.Td>
                  <Table.Td>{answerOf(a.status, a.error) ?? '—'}</Table.Td>
                  <Table.Td>{a.durationMs} ms</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </DetailSection>
    </Stack>
  );
}
