import { Group, Progress, Stack, Text } from '@mantine/core';
import { progressParts } from '../api/review-format';
import type { CampaignProgress } from '../api/reviews.queries';

/** Decided of all items in green, overdue in red; the numbers beside. */
export function CampaignProgressBar({ progress }: { progress: CampaignProgress }) {
  const parts = progressParts(progress);
  return (
    <Stack gap={4} miw={180} data-testid="campaign-progress">
      <Progress.Root size="md" aria-label={`${parts.decided} of ${parts.total} decided, ${progress.overdue} overdue`}>
        <Progress.Section value={parts.decidedPercent} color="teal" />
        <Progress.Section value={parts.overduePercent} color="red" />
      </Progress.Root>
      <Group gap="xs" wrap="nowrap">
        <Text size="xs">
          {parts.decided} of {parts.total} decided
        </Text>
        {progress.overdue > 0 ? (
          <Text size="xs" c="red" fw={600}>
            {progress.overdue} overdue
          </Text>
        ) : null}
      </Group>
    </Stack>
  );
}
