import { Button, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/http';
import { ProblemAlert } from '../../shared/components/ProblemAlert';
import { useStoreSession, type Session } from '../session/api/session.queries';
import { browserRefusal, signInWithPasskey, stepUpWithPasskey } from './api/passkeys.queries';

interface PasskeySignInButtonProps {
  mfaToken: string;
  onSignedIn: (session: Session) => void;
  /** The log-in's second step by passkey; replaced in specs. */
  signIn?: (mfaToken: string) => Promise<Session>;
}

function failureText(error: unknown): string | null {
  const refusal = browserRefusal(error);
  if (refusal) return refusal;
  if (error instanceof ApiError && error.problem.code === 'INVALID_MFA') {
    return /expired|unknown|log in again/i.test(error.problem.detail ?? '') ? 'This log-in has ended: start over.' : 'That passkey was not accepted. Try again, or use another one.';
  }
  return null;
}

/** "Use a passkey" on the log-in's second step: the browser asks for the passkey, and the session starts. */
export function PasskeySignInButton({ mfaToken, onSignedIn, signIn = signInWithPasskey }: PasskeySignInButtonProps) {
  const store = useStoreSession();
  const attempt = useMutation({
    mutationFn: () => signIn(mfaToken),
    onSuccess: (session) => {
      store(session);
      onSignedIn(session);
    },
  });
  const text = failureText(attempt.error);
  return (
    <Stack gap="xs">
      <Button variant="light" onClick={() => attempt.mutate()} loading={attempt.isPending}>
        Use a passkey
      </Button>
      {text ? (
        <Text size="sm" c="red" role="alert">
          {text}
        </Text>
      ) : attempt.error ? (
        <ProblemAlert error={attempt.error} />
      ) : null}
    </Stack>
  );
}

/** "Use a passkey" in the step-up dialog: `done` once the API renewed the session's MFA check. */
export function PasskeyStepUpButton({ done, stepUp = stepUpWithPasskey }: { done: () => void; stepUp?: () => Promise<void> }) {
  const attempt = useMutation({ mutationFn: () => stepUp(), onSuccess: done });
  const text = failureText(attempt.error);
  return (
    <Stack gap="xs">
      <Button variant="light" onClick={() => attempt.mutate()} loading={attempt.isPending}>
        Use a passkey
      </Button>
      {text ? (
        <Text size="sm" c="red" role="alert">
          {text}
        </Text>
      ) : attempt.error && !(attempt.error instanceof ApiError && attempt.error.problem.code === 'CONFLICT') ? (
        <ProblemAlert error={attempt.error} />
      ) : attempt.error ? (
        <Text size="sm" c="dimmed">
          You have no passkey: use a code.
        </Text>
      ) : null}
    </Stack>
  );
}
