import { Code, Group, Text } from '@mantine/core';

export function ClauseList({ clauses }: { clauses: readonly string[] }) {
  if (clauses.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  return (
    <Group gap={4}>
      {clauses.map((clause) => (
        <Code key={clause}>{clause}</Code>
      ))}
    </Group>
  );
}
