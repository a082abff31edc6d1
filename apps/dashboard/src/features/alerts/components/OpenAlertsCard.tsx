import { Anchor, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { ALERT_SEVERITIES } from '@custos/contracts';
import { Link } from 'react-router';
import { ErrorState } from '../../../shared/components/states';
import { alertsPath } from '../api/alert-search';
import { ALERT_COUNT_CAP, useOpenAlertCounts, type OpenAlertCount } from '../api/alerts.queries';
import { AlertSeverityBadge } from './AlertBadges';

/** Most severe first. */
const SEVERITY_ORDER = [...ALERT_SEVERITIES].reverse();

function figure({ count, capped }: Pick<OpenAlertCount, 'count' | 'capped'>): string {
  return capped ? `${ALERT_COUNT_CAP.toLocaleString()}+` : count.toLocaleString();
}

/** The overview's open alerts by severity, each linking to the inbox filtered to it. */
export function OpenAlertsCard() {
  const counts = useOpenAlertCounts();
  const failed = counts.find((c) => c.isError);
  const loaded = counts.every((c) => c.data !== undefined);
  const bySeverity = new Map(counts.flatMap((c) => (c.data ? [[c.data.severity, c.data] as const] : [])));
  const total = [...bySeverity.values()].reduce((sum, c) => sum + c.count, 0);
  const totalCapped = [...bySeverity.values()].some((c) => c.capped);

  return (
    <Paper withBorder p="md" radius="md" role="region" aria-label="Open alerts">
      <Group justify="space-between" align="baseline" mb="sm">
        <Title order={2} size="h5">
          Open alerts
        </Title>
        <Anchor component={Link} to="/alerts" size="sm">
          Open the inbox
        </Anchor>
      </Group>
      {failed ? (
        <ErrorState error={failed.error} onRetry={() => counts.forEach((c) => void c.refetch())} />
      ) : (
        <Stack gap="xs">
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            {SEVERITY_ORDER.map((severity) => {
              const count = bySeverity.get(severity);
              return (
                <Stack key={severity} gap={2} align="flex-start">
                  <AlertSeverityBadge severity={severity} />
                  <Anchor
                    component={Link}
                    to={alertsPath({ severity })}
                    fz={28}
                    fw={700}
                    c="inherit"
                    data-testid={`open-alerts-${severity}`}
                    aria-label={`Open ${severity} alerts: ${count ? figure(count) : 'counting'}`}
                  >
                    {count ? figure(count) : '…'}
                  </Anchor>
                </Stack>
              );
            })}
          </SimpleGrid>
          {loaded ? (
            <Text size="xs" c="dimmed">
              {total === 0
                ? 'Nothing open: every alert has been acknowledged or resolved.'
                : `${totalCapped ? 'More than ' : ''}${total.toLocaleString()} open in all; acknowledged ones are not counted.`}
            </Text>
          ) : null}
        </Stack>
      )}
    </Paper>
  );
}
