import { Alert, Button, Checkbox, CopyButton, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { recoveryCodesFile } from '../api/session-format';

interface RecoveryCodesRevealProps {
  codes: readonly string[];
  /** The signed-in person's e-mail, named in the downloaded file. */
  account: string;
  /** The person confirmed they saved the codes. */
  onDone: () => void;
  doneLabel?: string;
}

/** Saves the codes as a text file the browser downloads. */
function download(codes: readonly string[], account: string): void {
  const url = URL.createObjectURL(new Blob([recoveryCodesFile(codes, account)], { type: 'text/plain' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = 'custos-recovery-codes.txt';
  link.click();
  URL.revokeObjectURL(url);
}

/**
 * The one time recovery codes are on screen: the API keeps only their hashes. The person copies or
 * downloads them and says they saved them before going on.
 */
export function RecoveryCodesReveal({ codes, account, onDone, doneLabel = 'Done' }: RecoveryCodesRevealProps) {
  const [saved, setSaved] = useState(false);
  return (
    <Paper withBorder p="lg" radius="md" role="region" aria-label="Recovery codes">
      <Stack>
        <Title order={3} size="h4">
          Your recovery codes
        </Title>
        <Alert color="yellow" variant="light" title="Save them now: you will not see them again">
          Each code signs you in once if you lose your authenticator app. Custos keeps only a hash of each. Store them somewhere safe, such as a password manager.
        </Alert>
        <SimpleGrid component="ul" aria-label="Recovery code list" cols={{ base: 1, xs: 2 }} spacing="xs" verticalSpacing={4} p={0} m={0} style={{ listStyle: 'none' }}>
          {codes.map((code) => (
            <Text component="li" key={code} ff="monospace" data-testid="recovery-code">
              {code}
            </Text>
          ))}
        </SimpleGrid>
        <Group>
          <CopyButton value={codes.join('\n')}>
            {({ copied, copy }) => (
              <Button variant="default" color={copied ? 'teal' : undefined} onClick={copy}>
                {copied ? 'Copied' : 'Copy codes'}
              </Button>
            )}
          </CopyButton>
          <Button variant="default" onClick={() => download(codes, account)}>
            Download codes
          </Button>
        </Group>
        <Checkbox label="I saved my recovery codes" checked={saved} onChange={(event) => setSaved(event.currentTarget.checked)} />
        <Group>
          <Button disabled={!saved} onClick={onDone}>
            {doneLabel}
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          New codes can be made on the Security page at any time; making them ends the old ones.
        </Text>
      </Stack>
    </Paper>
  );
}
