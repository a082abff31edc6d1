import { Button, Group, Stack, Text } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useCan } from '../../../shared/auth/permissions';
import { PageHeader } from '../../../shared/components/PageHeader';
import { EmptyState, ErrorState, LoadingState } from '../../../shared/components/states';
import { useTextFilters } from '../../../shared/forms/text-filters';
import { useAuditEvents, type AuditParams } from '../api/audit.queries';
import { AuditEventTable } from '../components/AuditEventTable';
import { VerifyChainButton } from '../components/VerifyChainButton';

const TEXT_FILTERS = [
  { key: 'action', label: 'Action', placeholder: 'e.g. token.revoked' },
  { key: 'actor', label: 'Actor', placeholder: 'e-mail, usr_… or tok_…' },
  { key: 'target', label: 'Target', placeholder: 'tok_…, svc_…, usr_…' },
] as const;

function paramsFrom(search: URLSearchParams): AuditParams {
  const params: AuditParams = { limit: 50 };
  for (const { key } of TEXT_FILTERS) {
    const value = search.get(key)?.trim();
    if (value) params[key] = value;
  }
  for (const key of ['from', 'to'] as const) {
    const value = search.get(key);
    if (value && !Number.isNaN(Date.parse(value))) params[key] = value;
  }
  return params;
}

export function AuditLogPage() {
  const can = useCan();
  const [search, setSearch] = useSearchParams();
  const params = useMemo(() => paramsFrom(search), [search]);
  const events = useAuditEvents(params);
  const items = events.data?.pages.flatMap((p) => p.items) ?? [];
  const set = (key: string, value: string | null) =>
    setSearch(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const text = useTextFilters(TEXT_FILTERS, search, set);

  if (!can('custos:audit:read')) return <EmptyState title="Your role cannot read the audit log" />;
  return (
    <>
      <PageHeader title="Audit log" description="Every change, in order, linked by SHA-256 into a chain anyone can check." actions={null} />
      <Stack>
        <VerifyChainButton />
        <Group align="flex-end" gap="sm" wrap="wrap">
          {text.inputs}
          <DateInput label="From" clearable value={search.get('from')} onChange={(v) => set('from', v ? new Date(v).toISOString() : null)} w={150} />
          <DateInput label="To" clearable value={search.get('to')} onChange={(v) => set('to', v ? new Date(v).toISOString() : null)} w={150} />
          <Button
            variant="subtle"
            onClick={() => {
              text.clear();
              setSearch(new URLSearchParams(), { replace: true });
            }}
          >
            Clear filters
          </Button>
        </Group>
        {events.isPending ? (
          <LoadingState label="Loading events…" />
        ) : events.isError && items.length === 0 ? (
          <ErrorState error={events.error} onRetry={() => void events.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState title="No events match">Events appear within seconds of a change.</EmptyState>
        ) : (
          <>
            <AuditEventTable events={items} />
            <Group justify="center">
              {events.hasNextPage ? (
                <Button variant="default" loading={events.isFetchingNextPage} onClick={() => void events.fetchNextPage()}>
                  Load more
                </Button>
              ) : (
                <Text size="sm" c="dimmed">
                  End of the log
                </Text>
              )}
            </Group>
          </>
        )}
      </Stack>
    </>
  );
}
