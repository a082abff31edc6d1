import { BarChart } from '@mantine/charts';
import { Anchor, Button, Grid, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useCan } from '../../../shared/auth/permissions';
import { PageHeader } from '../../../shared/components/PageHeader';
import { EmptyState, ErrorState, LoadingState } from '../../../shared/components/states';
import { OpenAlertsCard } from '../../alerts/components/OpenAlertsCard';
import { useRecentAuditEvents } from '../../audit/api/audit.queries';
import { AuditEventTable } from '../../audit/components/AuditEventTable';
import { useOverview, type TokenOverview } from '../api/overview.queries';
import { AttentionCounts, STATUS_ORDER, StatusCounts } from '../components/TokenCounts';

export function OverviewPage() {
  const overview = useOverview();
  const can = useCan();
  return (
    <>
      <PageHeader title="Overview" description="Your organization's tokens at a glance." />
      {overview.isPending ? (
        <LoadingState label="Counting tokens…" />
      ) : overview.isError ? (
        <ErrorState error={overview.error} onRetry={() => void overview.refetch()} />
      ) : (
        <Stack>
          {hasNoTokens(overview.data) ? <FirstRun canIssue={can('custos:tokens:issue')} /> : null}
          <StatusCounts overview={overview.data} />
          <AttentionCounts overview={overview.data} />
          {can('custos:alerts:read') ? <OpenAlertsCard /> : null}
          <Grid>
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <ActivityChart overview={overview.data} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 5 }}>{can('custos:audit:read') ? <RecentEvents /> : null}</Grid.Col>
          </Grid>
        </Stack>
      )}
    </>
  );
}

function hasNoTokens(overview: TokenOverview): boolean {
  return STATUS_ORDER.every((status) => overview.byStatus[status] === 0);
}

/** A new organization's first visit: nothing to count yet, so say what to do first. */
function FirstRun({ canIssue }: { canIssue: boolean }) {
  return (
    <Paper withBorder p="lg" radius="md" aria-label="Getting started">
      <Title order={2} size="h4">
        No tokens yet
      </Title>
      <Text c="dimmed" mt={4} mb="md">
        {canIssue
          ? 'Issue your first token: its secret is shown once, then only its hash is kept.'
          : 'Nobody has issued a token in this organization yet; an owner, admin or operator can.'}
      </Text>
      {canIssue ? (
        <Button component={Link} to="/tokens/new">
          Issue your first token
        </Button>
      ) : null}
    </Paper>
  );
}

function ActivityChart({ overview }: { overview: TokenOverview }) {
  const data = overview.daily.map((d) => ({ ...d, day: d.day.slice(5) }));
  const quiet = overview.daily.every((d) => d.issued === 0 && d.revoked === 0);
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={2} size="h5" mb="sm">
        Issued and revoked per day (last 30 days, UTC)
      </Title>
      {quiet ? (
        <EmptyState title="No tokens issued or revoked in 30 days" />
      ) : (
        <BarChart
          h={260}
          data={data}
          dataKey="day"
          series={[
            { name: 'issued', label: 'Issued', color: 'indigo.6' },
            { name: 'revoked', label: 'Revoked', color: 'red.6' },
          ]}
          withLegend
          tickLine="y"
          // Whole tokens: no 0.75 or 2.25 on the axis.
          yAxisProps={{ allowDecimals: false }}
          aria-label="Tokens issued and revoked per day"
        />
      )}
    </Paper>
  );
}

function RecentEvents() {
  const events = useRecentAuditEvents(8, true);
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={2} size="h5" mb="sm">
        Recent audit events
      </Title>
      {events.isPending ? (
        <LoadingState label="Loading events…" />
      ) : events.isError ? (
        <ErrorState error={events.error} onRetry={() => void events.refetch()} />
      ) : events.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing has happened yet.
        </Text>
      ) : (
        <AuditEventTable events={events.data} compact />
      )}
      <Anchor component={Link} to="/audit" size="sm" mt="sm" display="block">
        Open the audit log
      </Anchor>
    </Paper>
  );
}
