import { Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { safeReturnPath } from '../../../app/return-to';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { fieldErrorsOf } from '../../../shared/forms/problem-fields';
import { useLogin, useMe } from '../api/session.queries';
import { AuthCard } from './AuthCard';

const FIELDS = ['email', 'password'] as const;

export function LoginPage() {
  const [params] = useSearchParams();
  const next = safeReturnPath(params.get('next'));
  const me = useMe();
  const login = useLogin();
  const navigate = useNavigate();
  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: {
      email: (v) => (v.trim() ? null : 'Enter your e-mail address'),
      password: (v) => (v ? null : 'Enter your password'),
    },
  });

  if (me.data) return <Navigate to={next} replace />;

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
          login.mutate({ email: values.email.trim(), password: values.password }, { onSuccess: () => void navigate(next, { replace: true }) }),
        )}
        noValidate
      >
        <Stack>
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
    </AuthCard>
  );
}
