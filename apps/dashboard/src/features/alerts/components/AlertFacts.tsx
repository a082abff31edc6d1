import { Anchor, SimpleGrid, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useCan } from '../../../shared/auth/permissions';
import { Fact } from '../../../shared/components/Fact';
import { ObjectLink } from '../../../shared/components/ObjectLink';
import { formatCount, formatDateTime, formatRelative } from '../../../shared/format/format';
import { useServices } from '../../services/api/services.queries';
import { detailRows, remediationText, RULES, subjectOf } from '../api/alert-format';
import type { Alert } from '../api/alerts.queries';
import { AlertSubject } from './AlertSubject';

function ServiceName({ id }: { id: string }) {
  const can = useCan();
  const services = useServices(can('custos:services:read'));
  const name = services.data?.find((s) => s.id === id)?.name;
  if (!name) return <ObjectLink id={id} type="service" />;
  return (
    <Anchor component={Link} to={`/services/${encodeURIComponent(id)}`} size="sm" title={`service ${id}`}>
      {name}
    </Anchor>
  );
}

/** What the alert is about, what the rule checks, when it was seen and how often. */
export function AlertSummary({ alert }: { alert: Alert }) {
  const { kind } = subjectOf(alert.subject);
  return (
    <Stack gap="sm">
      <Text size="sm">{RULES[alert.rule].description}</Text>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
        <Fact label={kind === 'caller' || kind === 'network' ? `About (${kind})` : 'About'}>
          <AlertSubject alert={alert} />
        </Fact>
        <Fact label="Service">{alert.serviceId ? <ServiceName id={alert.serviceId} /> : '—'}</Fact>
        <Fact label="Count">{formatCount(alert.count)}</Fact>
        <Fact label="First seen">{formatDateTime(alert.firstSeenAt)}</Fact>
        <Fact label="Last seen">
          <span title={formatRelative(alert.lastSeenAt)}>{formatDateTime(alert.lastSeenAt)}</span>
        </Fact>
        <Fact label="Raised">{formatDateTime(alert.createdAt)}</Fact>
      </SimpleGrid>
    </Stack>
  );
}

/** What the rule saw: its threshold and window and the figures that passed them. */
export function AlertDetailFacts({ details }: { details: Alert['details'] }) {
  const rows = detailRows(details);
  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        The rule fires on one event: nothing more to show.
      </Text>
    );
  }
  return (
    <SimpleGrid cols={{ base: 1, xs: 2 }} aria-label="Details">
      {rows.map((row) => (
        <Fact key={row.key} label={row.label}>
          <Text span inherit style={{ wordBreak: 'break-word' }}>
            {row.value}
          </Text>
        </Fact>
      ))}
    </SimpleGrid>
  );
}

/** What was done to the token when the alert was raised, or why nothing was. */
export function AlertRemediationFacts({ remediation }: { remediation: Alert['remediation'] }) {
  return (
    <SimpleGrid cols={{ base: 1, xs: 2 }}>
      <Fact label="Action">{remediationText(remediation)}</Fact>
      {remediation?.at ? <Fact label="At">{formatDateTime(remediation.at)}</Fact> : null}
    </SimpleGrid>
  );
}
