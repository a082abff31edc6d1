import { Anchor, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useCan } from '../../../shared/auth/permissions';
import { PageHeader } from '../../../shared/components/PageHeader';
import { EmptyState, ErrorState, LoadingState } from '../../../shared/components/states';
import { ruleLabel } from '../api/alert-format';
import { useAlert, type Alert } from '../api/alerts.queries';
import { AlertActions } from '../components/AlertActions';
import { ImpactDownload } from '../components/ImpactDownload';
import { AlertSeverityBadge, AlertStatusBadge } from '../components/AlertBadges';
import { AlertEvidenceTable } from '../components/AlertEvidenceTable';
import { AlertDetailFacts, AlertRemediationFacts, AlertSummary } from '../components/AlertFacts';
import { AlertHandling } from '../components/AlertHandling';

export function AlertDetailPage() {
  const { alertId = '' } = useParams();
  const can = useCan();
  const alert = useAlert(alertId);

  if (!can('custos:alerts:read')) return <EmptyState title="Your role cannot read alerts">Ask an owner or admin.</EmptyState>;
  if (alert.isPending) return <LoadingState label="Loading the alert…" />;
  if (alert.isError) return <ErrorState error={alert.error} onRetry={() => void alert.refetch()} />;
  return <AlertView alert={alert.data} />;
}

function Panel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md" h="100%" role="region" aria-label={title}>
      <Title order={2} size="h5" mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/** One alert: what fired and about what, what the rule saw, what was done, who handled it, and the uses behind it. */
function AlertView({ alert }: { alert: Alert }) {
  return (
    <>
      <Anchor component={Link} to="/alerts" size="sm">
        ← Alerts
      </Anchor>
      <PageHeader
        title={ruleLabel(alert.rule)}
        description={
          <Group gap="xs" component="span">
            <AlertSeverityBadge severity={alert.severity} />
            <AlertStatusBadge status={alert.status} />
            <span>{alert.id}</span>
          </Group>
        }
        actions={
          <Group gap="xs">
            <ImpactDownload alert={alert} />
            <AlertActions alert={alert} />
          </Group>
        }
      />
      <Stack>
        <Panel title="What happened">
          <AlertSummary alert={alert} />
        </Panel>
        <Grid>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Panel title="Details">
              <AlertDetailFacts details={alert.details} />
            </Panel>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Panel title="Remediation">
              <AlertRemediationFacts remediation={alert.remediation} />
            </Panel>
          </Grid.Col>
        </Grid>
        <Panel title="Handling">
          <AlertHandling alert={alert} />
        </Panel>
        <Panel title="Evidence">
          {alert.evidence.length === 0 ? (
            <Text size="sm" c="dimmed">
              {alert.rule === 'leaked' ? 'A leak report is not a use: the details say where the token was found.' : 'No uses were kept for this alert.'}
            </Text>
          ) : (
            <Stack gap="xs">
              <Text size="xs" c="dimmed">
                {alert.evidence.length === 1 ? 'The use' : `The ${alert.evidence.length} uses`} that raised or repeated it, newest kept (up to 20);
                networks only, never whole addresses.
              </Text>
              <AlertEvidenceTable evidence={alert.evidence} />
            </Stack>
          )}
        </Panel>
      </Stack>
    </>
  );
}
