import { Group, Text, Title } from '@mantine/core';
import { formatCount } from '../../../shared/format/format';

/** A panel's title with the number of uses it counts, once they are counted. */
export function UsesTitle({ title, total }: { title: string; total: number | undefined }) {
  return (
    <Group justify="space-between" align="baseline" gap="sm">
      <Title order={2} size="h5">
        {title}
      </Title>
      {total !== undefined ? (
        <Text size="sm" c="dimmed">
          {formatCount(total)} {total === 1 ? 'use' : 'uses'}
        </Text>
      ) : null}
    </Group>
  );
}
