import { Alert, Box, Grid, Paper, Stack } from '@mantine/core';
import { useMemo, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { useCan } from '../../../shared/auth/permissions';
import { PageHeader } from '../../../shared/components/PageHeader';
import { EmptyState, ErrorState, LoadingState } from '../../../shared/components/states';
import { useServices } from '../../services/api/services.queries';
import { usageRequestsOf, usageSelectionFromSearch, withUsageSearch, type UsageRequests, type UsageSearchKey } from '../api/usage-search';
import { useRegions, useUsageCounts, type UsageCounts } from '../api/usage.queries';
import { CountryBars } from '../components/CountryBars';
import { CrossBorderPanel } from '../components/CrossBorderPanel';
import { UsageEventsPanel } from '../components/UsageEventsPanel';
import { UsageFilters } from '../components/UsageFilters';
import { UsageOverTimeChart } from '../components/UsageOverTimeChart';
import { UsesTitle } from '../components/UsesTitle';

export function UsagePage() {
  const can = useCan();
  const [search, setSearch] = useSearchParams();
  // Fixed at first render: "the last 30 days" must not move under a cached chart while the page is open.
  const [now] = useState(() => new Date());
  const selection = useMemo(() => usageSelectionFromSearch(search, now), [search, now]);
  const requests = useMemo(() => usageRequestsOf(selection), [selection]);
  const services = useServices(can('custos:services:read'));

  const update = (change: Partial<Record<UsageSearchKey, string | null>>) => setSearch((previous) => withUsageSearch(previous, change), { replace: true });

  if (!can('custos:usage:read')) return <EmptyState title="Your role cannot read usage">Ask an owner or admin.</EmptyState>;
  return (
    <>
      <PageHeader
        title="Usage"
        description="How and where your tokens are used: every verify and every request by a service key, by outcome and by country."
      />
      <Stack>
        <UsageFilters selection={selection} services={services.data} onChange={update} />
        {requests ? (
          <UsagePanels requests={requests} />
        ) : (
          <Alert color="yellow" variant="light" title="The period runs backwards">
            Pick a “To” day on or after the “From” day.
          </Alert>
        )}
      </Stack>
    </>
  );
}

function UsagePanels({ requests }: { requests: UsageRequests }) {
  const can = useCan();
  const overTime = useUsageCounts(requests.overTime);
  const byCountry = useUsageCounts(requests.byCountry);
  const regions = useRegions(can('custos:policy:read'));
  return (
    <>
      <Grid>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Panel title={`Uses per ${requests.overTime.groupBy === 'hour' ? 'hour' : 'day (UTC)'} by outcome`} counts={overTime}>
            {(counts) => <UsageOverTimeChart counts={counts} />}
          </Panel>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Panel title="Uses per country" counts={byCountry}>
            {(counts) => <CountryBars counts={counts} regions={regions.data} />}
          </Panel>
        </Grid.Col>
      </Grid>
      <CrossBorderPanel params={requests.crossBorder} />
      <UsageEventsPanel params={requests.events} />
    </>
  );
}

interface PanelProps {
  title: string;
  counts: ReturnType<typeof useUsageCounts>;
  children: (counts: UsageCounts) => ReactNode;
}

/** A chart's frame: its title and total, and the loading and error states of its counts. */
function Panel({ title, counts, children }: PanelProps) {
  const total = counts.data?.buckets.reduce((sum, b) => sum + b.count, 0);
  return (
    <Paper withBorder p="md" radius="md" h="100%" role="region" aria-label={title}>
      <Box mb="sm">
        <UsesTitle title={title} total={total} />
      </Box>
      {counts.isPending ? (
        <LoadingState label="Counting uses…" />
      ) : counts.isError ? (
        <ErrorState error={counts.error} onRetry={() => void counts.refetch()} />
      ) : (
        children(counts.data)
      )}
    </Paper>
  );
}
