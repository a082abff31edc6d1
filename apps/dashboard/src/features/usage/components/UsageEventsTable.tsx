import { Badge, Code, Stack, Table, Text } from '@mantine/core';
import { formatCountry, formatDateTime } from '../../../shared/format/format';
import { TokenLink } from '../../tokens/components/TokenLink';
import type { UsageEvent } from '../api/usage.queries';
import { OutcomeBadge, WHOLE_LABEL } from './OutcomeBadge';

/** Short cells stay on one line (a badge cut to "cross-…" says nothing); the table scrolls sideways instead. */
const NOWRAP = { whiteSpace: 'nowrap' } as const;

/**
 * Uses, newest first: when, which token, how it ended, where from (country and region, the network:
 * a whole address is never kept), whether it crossed the token's residency border or left its monitored
 * geofence, and what for.
 */
export function UsageEventsTable({ events, showToken = true }: { events: readonly UsageEvent[]; showToken?: boolean }) {
  return (
    <Table.ScrollContainer minWidth={showToken ? 920 : 760}>
      <Table striped verticalSpacing="xs" aria-label="Usage events">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            {showToken ? <Table.Th>Token</Table.Th> : null}
            <Table.Th>Outcome</Table.Th>
            <Table.Th>Country</Table.Th>
            <Table.Th>Network</Table.Th>
            <Table.Th>Border</Table.Th>
            <Table.Th>Resource</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((event) => (
            <Table.Tr key={event.id} data-usage-event={event.id} data-outcome={event.outcome}>
              <Table.Td style={NOWRAP}>{formatDateTime(event.occurredAt)}</Table.Td>
              {showToken ? <Table.Td miw={150}>{event.tokenId ? <TokenLink id={event.tokenId} /> : <Text size="sm" c="dimmed">none found</Text>}</Table.Td> : null}
              <Table.Td style={NOWRAP}>
                <OutcomeBadge outcome={event.outcome} />
                {event.uses > 1 ? (
                  // Verifies a service answered from its own cache, reported together.
                  <Text size="xs" c="dimmed" span title="uses reported together by a service verifying in its own process">
                    {` ×${event.uses.toLocaleString()}`}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                <Text size="sm" span>
                  {formatCountry(event.country)}
                </Text>
                {event.region ? (
                  <Text size="xs" c="dimmed" span style={NOWRAP}>
                    {' · '}
                    {event.region}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td style={NOWRAP}>{event.ipPrefix ? <Code>{event.ipPrefix}</Code> : '—'}</Table.Td>
              <Table.Td style={NOWRAP}>
                <BorderFlags event={event} />
              </Table.Td>
              <Table.Td>{event.resource ? <Code>{event.resource}</Code> : '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Where a use stood against the token's geography: out of its residency region, outside its monitored geofence. */
function BorderFlags({ event }: { event: UsageEvent }) {
  if (!event.crossBorder && !event.geoFlagged) {
    return (
      <Text size="sm" c="dimmed">
        no
      </Text>
    );
  }
  return (
    <Stack gap={2} align="flex-start">
      {event.crossBorder ? (
        <Badge color="orange" variant="light" radius="sm" size="sm" tt="none" styles={WHOLE_LABEL} title="From outside the token's residency region">
          cross-border
        </Badge>
      ) : null}
      {event.geoFlagged ? (
        <Badge color="grape" variant="outline" radius="sm" size="sm" tt="none" styles={WHOLE_LABEL} title="Outside the token's geofence, which is in monitor mode: answered as usual, flagged">
          outside geofence
        </Badge>
      ) : null}
    </Stack>
  );
}
