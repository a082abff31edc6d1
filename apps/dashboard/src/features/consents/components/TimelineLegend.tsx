import { Box, Group, Text } from '@mantine/core';
import { CONSENT_STATUSES, STATUS_COLORS } from '../api/timeline';

/** What the bar colours, the withdrawal marker and the vertical line mean. */
export function TimelineLegend() {
  return (
    <Group gap="md" aria-label="Legend" role="list">
      {CONSENT_STATUSES.map((status) => (
        <Group key={status} gap={6} role="listitem" wrap="nowrap">
          <Box w={18} h={10} style={{ borderRadius: 3, background: `var(--mantine-color-${STATUS_COLORS[status]}-6)` }} />
          <Text size="xs">{status}</Text>
        </Group>
      ))}
      <Group gap={6} role="listitem" wrap="nowrap">
        <Box w={3} h={14} style={{ background: 'var(--mantine-color-red-9)' }} />
        <Text size="xs">withdrawn here</Text>
      </Group>
      <Group gap={6} role="listitem" wrap="nowrap">
        <Box w={0} h={14} style={{ borderLeft: '2px dashed var(--mantine-color-orange-6)' }} />
        <Text size="xs">today</Text>
      </Group>
    </Group>
  );
}
