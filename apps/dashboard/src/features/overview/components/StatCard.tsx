import { Anchor, Paper, Text } from '@mantine/core';
import { Link } from 'react-router';

/** A figure with what it means; a link to the inventory filtered to exactly those tokens when there is one. */
export function StatCard({ label, value, hint, to }: { label: string; value: number; hint?: string; to?: string }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={28} fw={700} data-testid={`stat-${label.toLowerCase().replace(/\W+/g, '-')}`}>
        {to ? (
          <Anchor component={Link} to={to} inherit c="inherit">
            {value.toLocaleString()}
          </Anchor>
        ) : (
          value.toLocaleString()
        )}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </Paper>
  );
}
