import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState, type ReactNode } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { safeReturnPath } from '../../../app/return-to';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { fieldErrorsOf } from '../../../shared/forms/problem-fields';
import { useCompleteMfa, useLogin, useMe, type MfaChallenge, type Session } from '../api/session.queries';
import { SsoSignIn } from '../components/SsoSignIn';
import { AuthCard } from './AuthCard';
import { challengeEnded, MfaStep } from './MfaStep';

/**
 * The passkey button of the second step, shown when the challenge offers webauthn. The passkeys work
 * (features/security/PasskeySignInButton.tsx) passes it from the router:
 * `<LoginPage passkeySignIn={(challenge, onSignedIn) => <PasskeySignInButton mfaToken={challenge.mfaToken} onSignedIn={onSignedIn} />} />`.
 */
export type PasskeySlot = (challenge: MfaChallenge, onSignedIn: (session: Session) => void) => ReactNode;

const FIELDS = ['email', 'password'] as const;

export function LoginPage({ passkeySignIn }: { passkeySignIn?: PasskeySlot } = {}) {
  const [params] = useSearchParams();
  const next = safeReturnPath(params.get('next'));
  const me = useMe();
  const login = useLogin();
  const completeMfa = useCompleteMfa();
  const navigate = useNavigate();
  const [challenge, setChallenge] = useState<MfaChallenge | null>(null);
  /** Why the person is back at the password step, when a second step ended. */
  const [restarted, setRestarted] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: {
      email: (v) => (v.trim() ? null : 'Enter your e-mail address'),
      password: (v) => (v ? null : 'Enter your password'),
    },
  });

  if (me.data) return <Navigate to={next} replace />;

  const restart = (why: string | null) => {
    setChallenge(null);
    setRestarted(why);
    completeMfa.reset();
    login.reset();
    form.setFieldValue('password', '');
  };

  if (challenge) {
    return (
      <AuthCard title="Two-step verification" footer={<>Signing in as {form.values.email.trim()}</>}>
        <MfaStep
          challenge={challenge}
          pending={completeMfa.isPending}
          error={completeMfa.error}
          onRestart={() => restart(null)}
          onSubmit={(code) =>
            completeMfa.mutate(
              { mfaToken: challenge.mfaToken, code },
              {
                onSuccess: () => void navigate(next, { replace: true }),
                onError: (error) => {
                  if (challengeEnded(error, challenge)) restart('That log-in took too long or had too many tries: enter your password again.');
                },
              },
            )
          }
        >
          {passkeySignIn && challenge.methods.includes('webauthn') ? passkeySignIn(challenge, () => void navigate(next, { replace: true })) : null}
        </MfaStep>
      </AuthCard>
    );
  }

  const serverErrors = fieldErrorsOf(login.error, FIELDS);
  return (
    <AuthCard
      title="Log in"
      footer={
        <>
          New to Custos?{' '}
          <Anchor component={Link} to="/signup">
            Create an organization
          </Anchor>
        </>
      }
    >
      <form
        onSubmit={form.onSubmit((values) =>
          login.mutate(
            { email: values.email.trim(), password: values.password },
            {
              onSuccess: (outcome) => {
                setRestarted(null);
                if ('mfa' in outcome) setChallenge(outcome.mfa);
                else void navigate(next, { replace: true });
              },
            },
          ),
        )}
        noValidate
      >
        <Stack>
          {restarted ? (
            <Alert color="yellow" variant="light" role="status">
              {restarted}
            </Alert>
          ) : null}
          <TextInput
            label="E-mail"
            type="email"
            autoComplete="username"
            required
            {...form.getInputProps('email')}
            error={form.errors.email ?? serverErrors.email}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            {...form.getInputProps('password')}
            error={form.errors.password ?? serverErrors.password}
          />
          {login.error ? <ProblemAlert error={login.error} shownFields={FIELDS} /> : null}
          <Button type="submit" loading={login.isPending}>
            Log in
          </Button>
        </Stack>
      </form>
      <SsoSignIn error={params.get('sso_error')} />
    </AuthCard>
  );
}
