import { Anchor, Code, Grid, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Fact } from '../../../shared/components/Fact';
import { ErrorState, LoadingState } from '../../../shared/components/states';
import { formatCount, formatCountry, formatDateTime, formatRelative } from '../../../shared/format/format';
import { outcomesOf } from '../api/usage-chart';
import { useTokenUsage, useUsageCounts, type TokenUsage as TokenUsageSummary, type UsageCountry } from '../api/usage.queries';
import { OutcomeBadge } from './OutcomeBadge';
import { UsageEventsPanel } from './UsageEventsPanel';
import { UsageOverTimeChart } from './UsageOverTimeChart';

function Section({ title, children, aside }: { title: string; children: ReactNode; aside?: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md" role="region" aria-label={title}>
      <Group justify="space-between" align="baseline" mb="sm">
        <Title order={2} size="h5">
          {title}
        </Title>
        {aside}
      </Group>
      {children}
    </Paper>
  );
}

/** A token's Usage tab: its latest use and last 30 days, the countries it was used from, uses per day, and its uses one by one. */
export function TokenUsage({ tokenId }: { tokenId: string }) {
  const summary = useTokenUsage(tokenId);
  // The API's default period: the last 30 days, by UTC day.
  const perDay = useUsageCounts({ tokenId, groupBy: 'day' });

  return (
    <Stack>
      {summary.isPending ? (
        <LoadingState label="Loading its usage…" />
      ) : summary.isError ? (
        <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />
      ) : (
        <Grid>
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <UsageSummary usage={summary.data} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 7 }}>
            <Section title="Countries">
              {summary.data.countries.length === 0 ? (
                <Text size="sm" c="dimmed">
                  Not used from anywhere yet.
                </Text>
              ) : (
                <CountriesTable countries={summary.data.countries} />
              )}
            </Section>
          </Grid.Col>
        </Grid>
      )}
      <Section
        title="Uses per day (last 30 days, UTC)"
        aside={
          <Anchor component={Link} to={`/usage?token=${encodeURIComponent(tokenId)}`} size="sm">
            Open in Usage
          </Anchor>
        }
      >
        {perDay.isPending ? (
          <LoadingState label="Counting uses…" />
        ) : perDay.isError ? (
          <ErrorState error={perDay.error} onRetry={() => void perDay.refetch()} />
        ) : (
          <UsageOverTimeChart counts={perDay.data} h={240} />
        )}
      </Section>
      <UsageEventsPanel params={{ tokenId }} showToken={false} />
    </Stack>
  );
}

function UsageSummary({ usage }: { usage: TokenUsageSummary }) {
  const outcomes = outcomesOf([{ key: null, count: 0, byOutcome: usage.byOutcome30d }]);
  return (
    <Section title="Summary">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <Fact label="Last used">{usage.lastUsedAt ? `${formatDateTime(usage.lastUsedAt)} (${formatRelative(usage.lastUsedAt)})` : 'never'}</Fact>
        <Fact label="Last used from">
          {usage.lastUsedAt ? (
            <>
              {formatCountry(usage.lastUsedCountry)}
              {usage.lastUsedIpPrefix ? (
                <>
                  {' · '}
                  <Code>{usage.lastUsedIpPrefix}</Code>
                </>
              ) : null}
            </>
          ) : (
            '—'
          )}
        </Fact>
        <Fact label="Distinct addresses (30 days)">{formatCount(usage.distinctAddresses30d)}</Fact>
        <Fact label="Cross-border uses (30 days)">{formatCount(usage.crossBorderCount30d)}</Fact>
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt="md" mb={4}>
        Uses by outcome (30 days)
      </Text>
      {outcomes.length === 0 ? (
        <Text size="sm">none</Text>
      ) : (
        <Group gap="xs" aria-label="Uses by outcome (30 days)">
          {outcomes.map((outcome) => (
            <Group key={outcome} gap={4} wrap="nowrap" data-outcome={outcome}>
              <OutcomeBadge outcome={outcome} />
              <Text size="sm">{formatCount(usage.byOutcome30d[outcome] ?? 0)}</Text>
            </Group>
          ))}
        </Group>
      )}
    </Section>
  );
}

function CountriesTable({ countries }: { countries: readonly UsageCountry[] }) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped verticalSpacing="xs" aria-label="Countries">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Country</Table.Th>
            <Table.Th>Region</Table.Th>
            <Table.Th ta="right">Uses</Table.Th>
            <Table.Th>First seen</Table.Th>
            <Table.Th>Last seen</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {countries.map((c) => (
            <Table.Tr key={c.country ?? 'unknown'} data-country={c.country ?? 'unknown'}>
              <Table.Td>{formatCountry(c.country)}</Table.Td>
              <Table.Td>{c.region ?? '—'}</Table.Td>
              <Table.Td ta="right">{formatCount(c.count)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(c.firstSeenAt)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(c.lastSeenAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
