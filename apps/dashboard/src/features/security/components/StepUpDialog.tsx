import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { setStepUpPrompt } from '../../../shared/api/step-up';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { stepUp } from '../api/security.queries';
import { CodeField, normalizedCode } from './CodeField';

interface StepUpDialogProps {
  /** Sends the code (POST /v1/auth/step-up); replaced in specs. */
  verify?: (code: string) => Promise<unknown>;
  /** Another way to confirm (a passkey button); it calls `done` once the API took it. */
  alternative?: (done: () => void) => ReactNode;
}

/**
 * The one step-up dialog of the app (mounted once, in AppProviders): the API client opens it when a
 * sensitive request answers STEP_UP_REQUIRED (shared/api/step-up.ts) and sends the request again once
 * the code is taken.
 */
export function StepUpDialog({ verify = stepUp, alternative }: StepUpDialogProps) {
  const [opened, setOpened] = useState(false);
  const [code, setCode] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const settle = useRef<((done: boolean) => void) | undefined>(undefined);

  const finish = useCallback((done: boolean) => {
    settle.current?.(done);
    settle.current = undefined;
    setOpened(false);
    setCode('');
    setError(null);
  }, []);

  useEffect(() => {
    setStepUpPrompt(
      () =>
        new Promise<boolean>((resolve) => {
          settle.current = resolve;
          setOpened(true);
        }),
    );
    return () => {
      setStepUpPrompt(undefined);
      settle.current?.(false);
    };
  }, []);

  const submit = async () => {
    const typed = normalizedCode(code);
    if (!typed) return;
    setPending(true);
    setError(null);
    try {
      await verify(typed);
      finish(true);
    } catch (failure) {
      setError(failure);
    } finally {
      setPending(false);
    }
  };

  return (
    <Modal opened={opened} onClose={() => finish(false)} title={<Text fw={600}>Confirm it is you</Text>} centered>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
        noValidate
      >
        <Stack>
          <Text size="sm">This action is sensitive: enter a code from your authenticator app (or a recovery code) to go on. Your request is sent again afterwards.</Text>
          <CodeField value={code} onChange={setCode} allowRecoveryCode />
          {error ? <ProblemAlert error={error} /> : null}
          {alternative ? alternative(() => finish(true)) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => finish(false)} disabled={pending}>
              Cancel
            </Button>
            <Button type="submit" loading={pending} disabled={!normalizedCode(code)}>
              Confirm
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
