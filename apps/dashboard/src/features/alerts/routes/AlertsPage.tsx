import { Stack } from '@mantine/core';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useCan } from '../../../shared/auth/permissions';
import { PageHeader } from '../../../shared/components/PageHeader';
import { EmptyState, ErrorState, LoadingState } from '../../../shared/components/states';
import { alertFiltersFromSearch, alertListParams, emptyTitle, withAlertSearch, type AlertSearchKey } from '../api/alert-search';
import { useAlerts } from '../api/alerts.queries';
import { AlertFilters } from '../components/AlertFilters';
import { AlertTable } from '../components/AlertTable';
import { LoadMore } from '../../../shared/components/LoadMore';

/** The alerts inbox: open alerts first of all, filtered by status, severity and rule in the URL, newest first. */
export function AlertsPage() {
  const can = useCan();
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => alertFiltersFromSearch(search), [search]);
  const alerts = useAlerts(alertListParams(filters));
  const items = alerts.data?.pages.flatMap((p) => p.items) ?? [];
  const update = (change: Partial<Record<AlertSearchKey, string | null>>) => setSearch((previous) => withAlertSearch(previous, change), { replace: true });

  if (!can('custos:alerts:read')) return <EmptyState title="Your role cannot read alerts">Ask an owner or admin.</EmptyState>;
  return (
    <>
      <PageHeader
        title="Alerts"
        description="Signs of abuse the rules saw in your tokens' uses, and tokens reported as leaked. Settings holds the rules."
      />
      <Stack>
        <AlertFilters filters={filters} onFilter={update} />
        {alerts.isPending ? (
          <LoadingState label="Loading alerts…" />
        ) : alerts.isError && items.length === 0 ? (
          <ErrorState error={alerts.error} onRetry={() => void alerts.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState title={emptyTitle(filters)}>
            {filters.status === 'open' ? 'Alerts show here within seconds of the use that raises them.' : 'Try another filter.'}
          </EmptyState>
        ) : (
          <>
            <AlertTable alerts={items} />
            <LoadMore pages={alerts} />
          </>
        )}
      </Stack>
    </>
  );
}
