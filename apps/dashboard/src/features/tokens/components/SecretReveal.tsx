import { Alert, Button, Code, CopyButton, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

interface SecretRevealProps {
  title: string;
  secret: string;
  children?: ReactNode;
  actions: ReactNode;
}

/**
 * The one time a token's secret is on screen: the API keeps only its hash, so nobody can show it again.
 */
export function SecretReveal({ title, secret, children, actions }: SecretRevealProps) {
  return (
    <Paper withBorder p="lg" radius="md" data-testid="secret-reveal">
      <Stack>
        <Title order={2} size="h3">
          {title}
        </Title>
        <Alert color="yellow" variant="light" title="Copy it now: you will not see it again">
          Custos stores only a hash of this secret. If it is lost, rotate the token to get a new one.
        </Alert>
        <Code block aria-label="Token secret" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="token-secret">
          {secret}
        </Code>
        <Group>
          <CopyButton value={secret}>
            {({ copied, copy }) => (
              <Button color={copied ? 'teal' : undefined} onClick={copy}>
                {copied ? 'Copied' : 'Copy secret'}
              </Button>
            )}
          </CopyButton>
          {actions}
        </Group>
        {children ? <Text size="sm">{children}</Text> : null}
      </Stack>
    </Paper>
  );
}
