import { Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { ApiError } from '../../../shared/api/http';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { CodeField, normalizedCode } from '../../security/components/CodeField';
import type { MfaChallenge } from '../api/session.queries';

interface MfaStepProps {
  challenge: MfaChallenge;
  pending: boolean;
  /** The last POST /v1/auth/mfa's failure. */
  error: unknown;
  onSubmit: (code: string) => void;
  /** Back to the password (a challenge that ended, or "not me"). */
  onRestart: () => void;
  /** Another second factor offered beside the code (the passkey button, when the challenge lists webauthn). */
  children?: ReactNode;
}

/** What an INVALID_MFA or RATE_LIMITED answer means for the person, shown under the code field. */
export function mfaErrorMessage(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  if (error.problem.code === 'INVALID_MFA') return 'That code is not right, or it was used already. Try the current one.';
  if (error.problem.code === 'RATE_LIMITED') {
    const wait = error.problem.retryAfterSeconds;
    return wait ? `Too many tries. Try again in ${waitText(wait)}.` : 'Too many tries. Wait a little and try again.';
  }
  return null;
}

function waitText(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

/**
 * Whether a failed second step means the log-in itself is over (its five minutes or its tries are spent,
 * or it was already used): the person starts again from the password. The API answers INVALID_MFA both
 * for a wrong code and for an ended log-in; only the detail tells them apart, and the clock.
 */
export function challengeEnded(error: unknown, challenge: MfaChallenge, now = Date.now()): boolean {
  if (challenge.expiresAt && now >= new Date(challenge.expiresAt).getTime()) return true;
  return error instanceof ApiError && error.problem.code === 'INVALID_MFA' && /expired|unknown|log in again/i.test(error.problem.detail ?? '');
}

/** The second step of log-in: a six-digit code, or a recovery code, and the slot for a passkey. */
export function MfaStep({ challenge, pending, error, onSubmit, onRestart, children }: MfaStepProps) {
  const [recovery, setRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [missing, setMissing] = useState(false);
  const offersCode = challenge.methods.includes('totp');
  const offersRecovery = challenge.methods.includes('recovery_code');
  const inline = mfaErrorMessage(error);

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        const typed = normalizedCode(code);
        setMissing(!typed);
        if (typed) onSubmit(typed);
      }}
      noValidate
    >
      <Stack>
        <Text size="sm">
          {recovery
            ? 'Enter one of the recovery codes you saved when you set up your authenticator app. Each works once.'
            : offersCode
              ? 'Your account is protected with two-step verification. Enter the six-digit code from your authenticator app.'
              : 'Your account is protected with two-step verification. Confirm with your passkey.'}
        </Text>
        {offersCode || offersRecovery ? (
          <>
            <CodeField
              key={recovery ? 'recovery' : 'totp'}
              label={recovery ? 'Recovery code' : 'Six-digit code'}
              value={code}
              onChange={setCode}
              allowRecoveryCode={recovery}
              autoFocus
              description={recovery ? 'As you saved it: xxxx-xxxx-xxxx' : 'From your authenticator app'}
              error={missing ? 'Enter the code' : inline}
            />
            {error && !inline ? <ProblemAlert error={error} /> : null}
            <Button type="submit" loading={pending}>
              Verify
            </Button>
          </>
        ) : null}
        {children}
        <Group justify="space-between">
          {offersRecovery && offersCode ? (
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() => {
                setRecovery(!recovery);
                setCode('');
              }}
            >
              {recovery ? 'Use the authenticator app' : 'Use a recovery code'}
            </Anchor>
          ) : (
            <span />
          )}
          <Anchor component="button" type="button" size="sm" onClick={onRestart}>
            Start over
          </Anchor>
        </Group>
      </Stack>
    </form>
  );
}
