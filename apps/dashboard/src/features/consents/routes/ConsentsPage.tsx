import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useCan } from '../../../shared/auth/permissions';
import { PageHeader } from '../../../shared/components/PageHeader';
import { EmptyState, ErrorState, LoadingState } from '../../../shared/components/states';
import {
  centerFromSearch,
  consentParamsFromSearch,
  withConsentSearch,
  zoomFromSearch,
  type ConsentSearchKey,
} from '../api/consent-filters';
import { useConsents } from '../api/consents.queries';
import { shiftCenter, rangeAround } from '../api/timeline';
import { ConsentDrawer } from '../components/ConsentDrawer';
import { ConsentFilters } from '../components/ConsentFilters';
import { ConsentTimeline } from '../components/ConsentTimeline';
import { NewConsentModal } from '../components/NewConsentModal';
import { TimelineControls } from '../components/TimelineControls';
import { TimelineLegend } from '../components/TimelineLegend';

const FILTER_KEYS: readonly ConsentSearchKey[] = ['purpose', 'subjectRef', 'status'];

export function ConsentsPage() {
  const can = useCan();
  const [search, setSearch] = useSearchParams();
  const params = useMemo(() => consentParamsFromSearch(search), [search]);
  const readable = can('custos:consents:read');
  const consents = useConsents(params, readable);
  const [now, setNow] = useState(() => Date.now());
  const [creating, setCreating] = useState(false);

  const zoom = zoomFromSearch(search);
  const center = centerFromSearch(search, now);
  const range = rangeAround(center, zoom);
  const selectedId = search.get('consent');
  const items = consents.data?.pages.flatMap((p) => p.items) ?? [];
  const filtering = FILTER_KEYS.some((k) => search.has(k));

  const update = (change: Partial<Record<ConsentSearchKey, string | null>>) => setSearch((previous) => withConsentSearch(previous, change), { replace: true });

  if (!readable) return <EmptyState title="Your role cannot read consents">Ask an owner, admin, operator or auditor.</EmptyState>;
  return (
    <>
      <PageHeader
        title="Consents"
        description="Who agreed to what, for which purpose and data, and for how long. Tokens bound to a consent work only while it does."
        actions={can('custos:consents:write') ? <Button onClick={() => setCreating(true)}>New consent</Button> : null}
      />
      <Stack>
        <ConsentFilters search={search} onFilter={update} />
        <Paper withBorder p="md" radius="md">
          <Stack gap="sm">
            <TimelineControls
              zoom={zoom}
              range={range}
              onZoom={(z) => update({ zoom: z })}
              onShift={(direction) => update({ at: new Date(shiftCenter(center, zoom, direction)).toISOString() })}
              onToday={() => {
                setNow(Date.now());
                update({ at: null });
              }}
            />
            <TimelineLegend />
            {consents.isPending ? (
              <LoadingState label="Loading consents…" />
            ) : consents.isError && items.length === 0 ? (
              <ErrorState error={consents.error} onRetry={() => void consents.refetch()} />
            ) : items.length === 0 ? (
              <EmptyState title={filtering ? 'No consent matches these filters' : 'No consents yet'}>
                {filtering ? 'Change or clear the filters.' : 'Record a consent to see it here.'}
              </EmptyState>
            ) : (
              <ConsentTimeline consents={items} range={range} zoom={zoom} now={now} selectedId={selectedId} onSelect={(c) => update({ consent: c.id })} />
            )}
          </Stack>
        </Paper>
        {items.length > 0 ? (
          <Group justify="center">
            {consents.hasNextPage ? (
              <Button variant="default" loading={consents.isFetchingNextPage} onClick={() => void consents.fetchNextPage()}>
                Load more
              </Button>
            ) : (
              <Text size="sm" c="dimmed">
                {items.length.toLocaleString()} {items.length === 1 ? 'consent' : 'consents'}, all shown
              </Text>
            )}
          </Group>
        ) : null}
      </Stack>
      {creating ? (
        <NewConsentModal
          onClose={() => setCreating(false)}
          onCreated={(consent) => {
            setCreating(false);
            update({ consent: consent.id });
          }}
        />
      ) : null}
      <ConsentDrawer consentId={selectedId} onClose={() => update({ consent: null })} />
    </>
  );
}
