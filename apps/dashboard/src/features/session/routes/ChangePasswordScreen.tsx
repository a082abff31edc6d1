import { Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { fieldErrorsOf } from '../../../shared/forms/problem-fields';
import { useChangePassword } from '../api/password.queries';
import { useLogout, useSession } from '../api/session.queries';
import { PasswordRules, passwordLengthError } from '../components/PasswordRules';
import { AuthCard } from './AuthCard';

const FIELDS = ['currentPassword', 'newPassword'] as const;

/**
 * What a session owed a password change shows instead of every page: someone else chose this password
 * (an account made by API), so the person chooses their own before anything else.
 */
export function ChangePasswordScreen() {
  const session = useSession();
  const change = useChangePassword();
  const logout = useLogout();
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: {
      currentPassword: (v) => (v ? null : 'Enter the password you logged in with'),
      newPassword: passwordLengthError,
      confirm: (v, values) => (v === values.newPassword ? null : 'The passwords do not match'),
    },
  });
  const server = fieldErrorsOf(change.error, FIELDS);
  return (
    <AuthCard
      title="Choose your own password"
      footer={
        <Button variant="subtle" size="xs" loading={logout.isPending} onClick={() => logout.mutate()}>
          Log out
        </Button>
      }
    >
      <form onSubmit={form.onSubmit((v) => change.mutate({ currentPassword: v.currentPassword, newPassword: v.newPassword }))} noValidate>
        <Stack>
          <Text size="sm">
            The password of <b>{session.user.email}</b> was chosen by someone else. Choose your own to continue; your other sessions end.
          </Text>
          <input type="email" name="username" autoComplete="username" value={session.user.email} readOnly hidden />
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            required
            {...form.getInputProps('currentPassword')}
            error={form.errors.currentPassword ?? server.currentPassword}
          />
          <PasswordRules />
          <PasswordInput label="New password" autoComplete="new-password" required {...form.getInputProps('newPassword')} error={form.errors.newPassword ?? server.newPassword} />
          <PasswordInput label="Repeat the new password" autoComplete="new-password" required {...form.getInputProps('confirm')} />
          {change.error ? <ProblemAlert error={change.error} shownFields={FIELDS} /> : null}
          <Group justify="flex-end">
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </AuthCard>
  );
}
