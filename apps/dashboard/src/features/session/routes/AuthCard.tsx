import { Anchor, Center, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** The frame of the log-in and sign-up pages: the product's name, the form, the way to the other one. */
export function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer: ReactNode }) {
  return (
    <Center mih="100vh" p="md" component="main">
      <Stack w="100%" maw={420} gap="lg">
        <Stack gap={0} align="center">
          <Title order={1} size="h2">
            Custos
          </Title>
          <Text c="dimmed" size="sm">
            Token lifecycle management
          </Text>
        </Stack>
        <Paper withBorder shadow="sm" p="lg" radius="md">
          <Title order={2} size="h3" mb="md">
            {title}
          </Title>
          {children}
        </Paper>
        <Text size="sm" ta="center">
          {footer}
        </Text>
        <Text size="xs" ta="center" c="dimmed">
          <Anchor href="/docs" size="xs">
            API docs
          </Anchor>
        </Text>
      </Stack>
    </Center>
  );
}
