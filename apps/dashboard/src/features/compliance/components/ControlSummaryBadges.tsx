import { Badge, Group } from '@mantine/core';
import { CONTROL_STATUSES } from '@custos/contracts';
import type { ControlTable } from '../api/compliance.queries';
import { CONTROL_STATUS_COLORS } from './ControlStatusBadge';

/** "7 pass · 2 warn · 1 fail" at a glance, above the table. */
export function ControlSummaryBadges({ summary }: { summary: ControlTable['summary'] }) {
  return (
    <Group gap="xs" role="group" aria-label="Controls by status">
      {CONTROL_STATUSES.map((status) => (
        <Badge key={status} color={CONTROL_STATUS_COLORS[status]} variant="outline" data-testid={`summary-${status}`}>
          {summary[status]} {status}
        </Badge>
      ))}
    </Group>
  );
}
