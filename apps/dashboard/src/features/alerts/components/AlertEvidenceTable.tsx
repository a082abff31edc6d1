import { Code, Table, Text } from '@mantine/core';
import { formatCountry, formatDateTime } from '../../../shared/format/format';
import { OutcomeBadge } from '../../usage/components/OutcomeBadge';
import type { AlertEvidence } from '../api/alerts.queries';

const NOWRAP = { whiteSpace: 'nowrap' } as const;

/** The uses that raised or repeated an alert (up to 20, newest kept): networks only, never whole addresses. */
export function AlertEvidenceTable({ evidence }: { evidence: readonly AlertEvidence[] }) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped verticalSpacing="xs" aria-label="Evidence">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Time</Table.Th>
            <Table.Th>Outcome</Table.Th>
            <Table.Th>Network</Table.Th>
            <Table.Th>Country</Table.Th>
            <Table.Th>Resource</Table.Th>
            <Table.Th>Transport</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {evidence.map((event, i) => (
            // Evidence has no id of its own: two uses may share a moment, so the index keeps keys apart.
            <Table.Tr key={`${event.at}-${i}`} data-outcome={event.outcome}>
              <Table.Td style={NOWRAP}>{formatDateTime(event.at)}</Table.Td>
              <Table.Td style={NOWRAP}>
                <OutcomeBadge outcome={event.outcome} />
              </Table.Td>
              <Table.Td style={NOWRAP}>{event.ipPrefix ? <Code>{event.ipPrefix}</Code> : '—'}</Table.Td>
              <Table.Td>{formatCountry(event.country)}</Table.Td>
              <Table.Td>{event.resource ? <Code>{event.resource}</Code> : '—'}</Table.Td>
              <Table.Td>
                <Text size="sm" span c={event.transport === 'http' ? 'orange' : undefined} fw={event.transport === 'http' ? 600 : undefined}>
                  {event.transport}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
