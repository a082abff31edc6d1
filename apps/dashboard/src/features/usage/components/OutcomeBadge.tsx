import { Badge } from '@mantine/core';
import { outcomeColor } from '../api/usage-chart';

/** A use's outcome in the colour the charts give it. */
export function OutcomeBadge({ outcome }: { outcome: string }) {
  return (
    <Badge color={outcomeColor(outcome)} variant="light" radius="sm" tt="none">
      {outcome}
    </Badge>
  );
}
