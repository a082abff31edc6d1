import { Badge } from '@mantine/core';
import { outcomeColor } from '../api/usage-chart';

/**
 * A badge's label never cut short: Mantine's lets a squeezed table column turn GEO_BLOCKED into "GEO_…",
 * because a clipped grid item may shrink to nothing; a visible one keeps its text's width.
 */
export const WHOLE_LABEL = { label: { overflow: 'visible' } } as const;

/** A use's outcome in the colour the charts give it. */
export function OutcomeBadge({ outcome }: { outcome: string }) {
  return (
    <Badge color={outcomeColor(outcome)} variant="light" radius="sm" size="sm" tt="none" styles={WHOLE_LABEL}>
      {outcome}
    </Badge>
  );
}
