import { Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Link, Navigate, useNavigate } from 'react-router';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { fieldErrorsOf } from '../../../shared/forms/problem-fields';
import { useMe, useSignup } from '../api/session.queries';
import { AuthCard } from './AuthCard';

const FIELDS = ['organization', 'email', 'password'] as const;
/** The API's minimum (SignupDto); checked here too so the user hears it before sending. */
const MIN_PASSWORD_LENGTH = 12;

export function SignupPage() {
  const me = useMe();
  const signup = useSignup();
  const navigate = useNavigate();
  const form = useForm({
    initialValues: { organization: '', email: '', password: '' },
    validate: {
      organization: (v) => (v.trim() ? null : 'Name your organization'),
      email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : 'Enter a valid e-mail address'),
      password: (v) => (v.length >= MIN_PASSWORD_LENGTH ? null : `Use at least ${MIN_PASSWORD_LENGTH} characters`),
    },
  });

  if (me.data) return <Navigate to="/overview" replace />;

  const serverErrors = fieldErrorsOf(signup.error, FIELDS);
  return (
    <AuthCard
      title="Create your organization"
      footer={
        <>
          Already have an account?{' '}
          <Anchor component={Link} to="/login">
            Log in
          </Anchor>
        </>
      }
    >
      <form
        onSubmit={form.onSubmit((values) =>
          signup.mutate(
            { organization: values.organization.trim(), email: values.email.trim(), password: values.password },
            { onSuccess: () => void navigate('/overview', { replace: true }) },
          ),
        )}
        noValidate
      >
        <Stack>
          <TextInput
            label="Organization"
            required
            {...form.getInputProps('organization')}
            error={form.errors.organization ?? serverErrors.organization}
          />
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
            description={`At least ${MIN_PASSWORD_LENGTH} characters`}
            autoComplete="new-password"
            required
            {...form.getInputProps('password')}
            error={form.errors.password ?? serverErrors.password}
          />
          {signup.error ? <ProblemAlert error={signup.error} shownFields={FIELDS} /> : null}
          <Button type="submit" loading={signup.isPending}>
            Create organization
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
