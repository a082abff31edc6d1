import { Group, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '../../../shared/components/states';
import { useUsageEvents, type UsageEventsParams } from '../api/usage.queries';
import { UsageEventsTable } from './UsageEventsTable';
import { LoadMore } from '../../../shared/components/LoadMore';

export const EVENTS_PAGE_SIZE = 25;

interface UsageEventsPanelProps {
  /** Whose and when: the page's filters, or one token's. */
  params: Omit<UsageEventsParams, 'limit' | 'crossBorder'>;
  showToken?: boolean;
}

/** Recent uses under the given filters, newest first, with "load more" along the API's cursor. */
export function UsageEventsPanel({ params, showToken = true }: UsageEventsPanelProps) {
  const [crossBorderOnly, setCrossBorderOnly] = useState(false);
  const events = useUsageEvents({ ...params, limit: EVENTS_PAGE_SIZE, ...(crossBorderOnly ? { crossBorder: true } : {}) });
  const items = events.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" wrap="wrap">
          <Stack gap={2}>
            <Title order={2} size="h5">
              Recent uses
            </Title>
            <Text size="xs" c="dimmed">
              Each with the network it came from (IPv4 /24, IPv6 /48): whole addresses are never kept.
            </Text>
          </Stack>
          <Switch label="Cross-border only" checked={crossBorderOnly} onChange={(event) => setCrossBorderOnly(event.currentTarget.checked)} />
        </Group>
        {events.isPending ? (
          <LoadingState label="Loading uses…" />
        ) : events.isError && items.length === 0 ? (
          <ErrorState error={events.error} onRetry={() => void events.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState title={crossBorderOnly ? 'No cross-border uses' : 'No uses yet'}>
            {crossBorderOnly ? "No use came from outside its token's residency region." : 'Uses appear here within seconds of a verify.'}
          </EmptyState>
        ) : (
          <>
            <UsageEventsTable events={items} showToken={showToken} />
            <LoadMore pages={events} />
          </>
        )}
      </Stack>
    </Paper>
  );
}
