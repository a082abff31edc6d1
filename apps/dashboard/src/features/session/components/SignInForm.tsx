import { useState, type FormEvent } from 'react';
import { ApiError } from '../../../shared/api/http';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { TextField } from '../../../shared/components/TextField';
import { useLogin } from '../api/session.queries';

const FIELDS = ['email', 'password'] as const;

interface SignInFormProps {
  initialEmail?: string;
  notice?: string;
}

export function SignInForm({ initialEmail = '', notice }: SignInFormProps) {
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');
  const loginMutation = useLogin();
  const apiError = loginMutation.error instanceof ApiError ? loginMutation.error : null;

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    loginMutation.mutate({ email: email.trim(), password });
  }

  return (
    <section className="card" aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">Sign in</h2>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <form className="form" onSubmit={handleSubmit}>
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={setEmail}
          errors={apiError?.fieldErrors('email')}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={setPassword}
          errors={apiError?.fieldErrors('password')}
        />
        {loginMutation.isError ? <ProblemAlert error={loginMutation.error} shownFields={FIELDS} /> : null}
        <button type="submit" className="button" disabled={loginMutation.isPending}>
          {loginMutation.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}
