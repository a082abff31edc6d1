import { Drawer, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** The right-hand drawer that shows one thing picked from a table or timeline. */
export function DetailDrawer({ opened, title, onClose, children }: { opened: boolean; title: string; onClose: () => void; children: ReactNode }) {
  return (
    <Drawer opened={opened} onClose={onClose} position="right" size="xl" title={<Text fw={600}>{title}</Text>}>
      {children}
    </Drawer>
  );
}

/** A titled part of a detail drawer. */
export function DetailSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {title}
      </Title>
      {children}
    </Stack>
  );
}

/** The drawer's first line: the thing's status and its id. */
export function DetailHeading({ status, id }: { status: ReactNode; id: string }) {
  return (
    <Group gap="xs">
      {status}
      <Text size="sm" c="dimmed">
        {id}
      </Text>
    </Group>
  );
}
