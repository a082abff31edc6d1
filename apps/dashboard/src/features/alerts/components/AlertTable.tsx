import { Anchor, Table, Text } from '@mantine/core';
import { Link, useNavigate } from 'react-router';
import { formatCount, formatDateTime, formatRelative } from '../../../shared/format/format';
import { remediationShort, ruleLabel } from '../api/alert-format';
import type { Alert } from '../api/alerts.queries';
import { AlertSeverityBadge, AlertStatusBadge } from './AlertBadges';
import { AlertSubject } from './AlertSubject';

/** Short cells stay on one line; the table scrolls sideways instead. */
const NOWRAP = { whiteSpace: 'nowrap' } as const;

export const alertPath = (id: string) => `/alerts/${encodeURIComponent(id)}`;

/** Alerts newest first; a row (or its rule, for the keyboard) opens the alert. */
export function AlertTable({ alerts }: { alerts: readonly Alert[] }) {
  const navigate = useNavigate();
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table striped highlightOnHover verticalSpacing="xs" aria-label="Alerts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Severity</Table.Th>
            <Table.Th>Rule</Table.Th>
            <Table.Th>Token</Table.Th>
            <Table.Th>Count</Table.Th>
            <Table.Th>Last seen</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Remediation</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {alerts.map((alert) => (
            <Table.Tr
              key={alert.id}
              data-alert-id={alert.id}
              style={{ cursor: 'pointer' }}
              // A click on a link in the row (the rule, the token) follows that link, not the row's.
              onClick={(event) => {
                if (!(event.target instanceof Element && event.target.closest('a'))) void navigate(alertPath(alert.id));
              }}
            >
              <Table.Td>
                <AlertSeverityBadge severity={alert.severity} />
              </Table.Td>
              <Table.Td style={NOWRAP}>
                <Anchor component={Link} to={alertPath(alert.id)} size="sm">
                  {ruleLabel(alert.rule)}
                </Anchor>
              </Table.Td>
              <Table.Td miw={160}>
                <AlertSubject alert={alert} />
              </Table.Td>
              <Table.Td>{formatCount(alert.count)}</Table.Td>
              <Table.Td style={NOWRAP} title={formatRelative(alert.lastSeenAt)}>
                {formatDateTime(alert.lastSeenAt)}
              </Table.Td>
              <Table.Td>
                <AlertStatusBadge status={alert.status} />
              </Table.Td>
              <Table.Td style={NOWRAP}>
                <Text size="sm" c={alert.remediation === null ? 'dimmed' : undefined} span>
                  {remediationShort(alert.remediation)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
