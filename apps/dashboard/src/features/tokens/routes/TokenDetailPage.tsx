import { Anchor, Grid, Group, Paper, Stack, Title } from '@mantine/core';
import { Link, useParams } from 'react-router';
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

export function TokenDetailPage() {
  const { tokenId = '' } = useParams();
  const token = useToken(tokenId);
  const can = useCan();
  const services = useServices(can('custos:services:read'));

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
