import { Anchor, Grid, Group, Paper, Stack, Tabs, Title } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useCan } from '../../../shared/auth/permissions';
import { PageHeader } from '../../../shared/components/PageHeader';
import { EmptyState, ErrorState, LoadingState } from '../../../shared/components/states';
import { useAuditEvents } from '../../audit/api/audit.queries';
import { AuditEventTable } from '../../audit/components/AuditEventTable';
import { useServices } from '../../services/api/services.queries';
import { useToken } from '../api/tokens.queries';
import { LineageTimeline } from '../components/LineageTimeline';
import { TokenActions } from '../components/TokenActions';
import { TokenFacts } from '../components/TokenFacts';
import { TokenStatusBadge } from '../components/TokenStatusBadge';

/** Loaded when the tab opens: the chart library comes with it, not with every token page. */
const TokenUsage = lazy(() => import('../../usage/components/TokenUsage').then((m) => ({ default: m.TokenUsage })));

export function TokenDetailPage() {
  const { tokenId = '' } = useParams();
  const token = useToken(tokenId);
  const can = useCan();
  const services = useServices(can('custos:services:read'));
  // The open tab lives in the URL (`?tab=usage`), so a link can lead straight to a token's usage.
  const [search, setSearch] = useSearchParams();
  const tab = search.get('tab') === 'usage' && can('custos:usage:read') ? 'usage' : 'details';

  if (token.isPending) return <LoadingState label="Loading the token…" />;
  if (token.isError) return <ErrorState error={token.error} onRetry={() => void token.refetch()} />;
  const t = token.data;
  return (
    <>
      <Anchor component={Link} to="/tokens" size="sm">
        ← Tokens
      </Anchor>
      <PageHeader
        title={t.name}
        description={
          <Group gap="xs" component="span">
            <TokenStatusBadge status={t.status} />
            <span>{t.id}</span>
          </Group>
        }
      />
      <Stack>
        <TokenActions key={t.id} token={t} />
        <Tabs
          value={tab}
          onChange={(value) => setSearch((previous) => withTab(previous, value), { replace: true })}
          keepMounted={false}
        >
          <Tabs.List mb="md">
            <Tabs.Tab value="details">Details</Tabs.Tab>
            {can('custos:usage:read') ? <Tabs.Tab value="usage">Usage</Tabs.Tab> : null}
          </Tabs.List>
          <Tabs.Panel value="details">
            <Stack>
              <Grid>
                <Grid.Col span={{ base: 12, lg: 8 }}>
                  <TokenFacts token={t} serviceName={services.data?.find((s) => s.id === t.ownerServiceId)?.name} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, lg: 4 }}>
                  <Paper withBorder p="md" radius="md">
                    <Title order={2} size="h5" mb="sm">
                      Lineage
                    </Title>
                    <LineageTimeline tokenId={t.id} />
                  </Paper>
                </Grid.Col>
              </Grid>
              {can('custos:audit:read') ? <TokenAuditTrail tokenId={t.id} /> : null}
            </Stack>
          </Tabs.Panel>
          {can('custos:usage:read') ? (
            <Tabs.Panel value="usage">
              <Suspense fallback={<LoadingState label="Loading its usage…" />}>
                <TokenUsage tokenId={t.id} />
              </Suspense>
            </Tabs.Panel>
          ) : null}
        </Tabs>
      </Stack>
    </>
  );
}

function TokenAuditTrail({ tokenId }: { tokenId: string }) {
  const events = useAuditEvents({ target: tokenId, limit: 50 });
  const items = events.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={2} size="h5" mb="sm">
        Audit trail
      </Title>
      {events.isPending ? (
        <LoadingState label="Loading events…" />
      ) : events.isError ? (
        <ErrorState error={events.error} onRetry={() => void events.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="No events yet">Events appear within seconds of a change.</EmptyState>
      ) : (
        <AuditEventTable events={items} compact />
      )}
    </Paper>
  );
}

function withTab(search: URLSearchParams, tab: string | null): URLSearchParams {
  const next = new URLSearchParams(search);
  if (tab === 'usage') next.set('tab', tab);
  else next.delete('tab');
  return next;
}
