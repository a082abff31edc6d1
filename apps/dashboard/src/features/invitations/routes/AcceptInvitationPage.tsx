import { Alert, Anchor, Button, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Link, useLocation, useNavigate } from 'react-router';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { LoadingState } from '../../../shared/components/states';
import { formatDateTime } from '../../../shared/format/format';
import { fieldErrorsOf } from '../../../shared/forms/problem-fields';
import { AuthCard } from '../../session/routes/AuthCard';
import { PasswordRules, passwordLengthError } from '../../session/components/PasswordRules';
import { invitationTokenOf, useAcceptInvitation, useInvitationPreview, type InvitationPreview } from '../api/invitations.queries';

const FIELDS = ['password'] as const;

/**
 * Where an invitation link leads (`/invitations/accept#token=…`): what the person is invited to, and the
 * password they choose, which signs them in.
 */
export function AcceptInvitationPage() {
  const location = useLocation();
  const token = invitationTokenOf(location.hash);
  const preview = useInvitationPreview(token);

  const footer = (
    <>
      Already have an account?{' '}
      <Anchor component={Link} to="/login">
        Log in
      </Anchor>
    </>
  );
  if (token === null || preview.isError) {
    return (
      <AuthCard title="Invitation" footer={footer}>
        <Alert color="red" title="This invitation link does not work">
          It may have expired (a link works for 72 hours), been replaced or revoked, or been used already. Ask the person who invited you for a new one.
        </Alert>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Join your team on Custos" footer={footer}>
      {preview.data ? <AcceptForm token={token} invitation={preview.data} /> : <LoadingState label="Reading your invitation…" />}
    </AuthCard>
  );
}

function AcceptForm({ token, invitation }: { token: string; invitation: InvitationPreview }) {
  const accept = useAcceptInvitation(token);
  const navigate = useNavigate();
  const form = useForm({
    initialValues: { password: '', confirm: '' },
    validate: {
      password: passwordLengthError,
      confirm: (v, values) => (v === values.password ? null : 'The passwords do not match'),
    },
  });
  const server = fieldErrorsOf(accept.error, FIELDS);
  return (
    <form onSubmit={form.onSubmit((v) => accept.mutate({ password: v.password }, { onSuccess: () => void navigate('/overview', { replace: true }) }))} noValidate>
      <Stack>
        <Text size="sm">
          You are invited to <b>{invitation.organization}</b> as <b>{invitation.role}</b>, with the e-mail <b>{invitation.email}</b>. Choose your
          password to sign in.
        </Text>
        <Text size="xs" c="dimmed">
          The link works once, until {formatDateTime(invitation.expiresAt)}.
        </Text>
        {/* For password managers: the account this password belongs to. */}
        <input type="email" name="username" autoComplete="username" value={invitation.email} readOnly hidden />
        <PasswordRules />
        <PasswordInput label="Password" autoComplete="new-password" required {...form.getInputProps('password')} error={form.errors.password ?? server.password} />
        <PasswordInput label="Repeat the password" autoComplete="new-password" required {...form.getInputProps('confirm')} />
        {accept.error ? <ProblemAlert error={accept.error} shownFields={FIELDS} /> : null}
        <Button type="submit" loading={accept.isPending}>
          Join {invitation.organization}
        </Button>
      </Stack>
    </form>
  );
}
