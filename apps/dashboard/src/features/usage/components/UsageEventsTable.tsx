import { Badge, Code, Group, Table, Text } from '@mantine/core';
import { ObjectLink } from '../../../shared/components/ObjectLink';
import { formatCountry, formatDateTime } from '../../../shared/format/format';
import type { UsageEvent } from '../api/usage.queries';
import { OutcomeBadge } from './OutcomeBadge';

/**
 * Uses, newest first: when, which token, how it ended, where from (country and region, the network:
 * a whole address is never kept), whether it crossed the token's residency border, and what for.
 */
export function UsageEventsTable({ events, showToken = true }: { events: readonly UsageEvent[]; showToken?: boolean }) {
  return (
    <Table.ScrollContainer minWidth={showToken ? 900 : 760}>
      <Table striped verticalSpacing="xs" aria-label="Usage events">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            {showToken ? <Table.Th>Token</Table.Th> : null}
            <Table.Th>Outcome</Table.Th>
            <Table.Th>Country</Table.Th>
            <Table.Th>Network</Table.Th>
            <Table.Th>Cross-border</Table.Th>
            <Table.Th>Resource</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((event) => (
            <Table.Tr key={event.id} data-usage-event={event.id} data-outcome={event.outcome}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(event.occurredAt)}</Table.Td>
              {showToken ? <Table.Td>{event.tokenId ? <ObjectLink id={event.tokenId} type="token" /> : <Text size="sm" c="dimmed">none found</Text>}</Table.Td> : null}
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <OutcomeBadge outcome={event.outcome} />
                  {event.geoFlagged ? (
                    <Badge color="grape" variant="outline" radius="sm" tt="none" title="Outside the token's geofence, which is in monitor mode: answered as usual, flagged">
                      outside geofence
                    </Badge>
                  ) : null}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatCountry(event.country)}</Text>
                {event.region ? (
                  <Text size="xs" c="dimmed">
                    {event.region}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>{event.ipPrefix ? <Code>{event.ipPrefix}</Code> : '—'}</Table.Td>
              <Table.Td>
                {event.crossBorder ? (
                  <Badge color="orange" variant="light" radius="sm" tt="none">
                    cross-border
                  </Badge>
                ) : (
                  <Text size="sm" c="dimmed">
                    no
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{event.resource ? <Code>{event.resource}</Code> : '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
