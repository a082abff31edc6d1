import { Alert, Button, Code, CopyButton, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

interface SecretRevealProps {
  title: string;
  secret: string;
  children?: ReactNode;
  actions: ReactNode;
  /** Why it is never shown again and what to do if it is lost; a token's by default. */
  keptAs?: ReactNode;
  /** What the secret is, for screen readers. */
  label?: string;
}

const TOKEN_KEPT_AS = 'Custos stores only a hash of this secret. If it is lost, rotate the token to get a new one.';

/**
 * The one time a secret is on screen: a token's (the API keeps only its hash) or a webhook's signing
 * secret (kept encrypted for the worker, never shown again), so nobody can show it again.
 */
export function SecretReveal({ title, secret, children, actions, keptAs = TOKEN_KEPT_AS, label = 'Token secret' }: SecretRevealProps) {
  return (
    <Paper withBorder p="lg" radius="md" data-testid="secret-reveal">
      <Stack>
        <Title order={2} size="h3">
          {title}
        </Title>
        <Alert color="yellow" variant="light" title="Copy it now: you will not see it again">
          {keptAs}
        </Alert>
        <Code block aria-label={label} style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="token-secret">
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
