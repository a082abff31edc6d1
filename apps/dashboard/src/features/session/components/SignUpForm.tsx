import { useState, type FormEvent } from 'react';
import { ApiError } from '../../../shared/api/http';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { TextField } from '../../../shared/components/TextField';
import { useSignup } from '../api/session.queries';

const FIELDS = ['organization', 'email', 'password'] as const;

interface SignUpFormProps {
  /** Called when the organization exists but the API did not start a session with it. */
  onSignedUp: (email: string) => void;
}

export function SignUpForm({ onSignedUp }: SignUpFormProps) {
  const [organization, setOrganization] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signupMutation = useSignup();
  const apiError = signupMutation.error instanceof ApiError ? signupMutation.error : null;

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const request = { organization: organization.trim(), email: email.trim(), password };
    // If sign-up also signed us in, `me` now holds the session and this form is gone before this runs.
    signupMutation.mutate(request, { onSuccess: () => onSignedUp(request.email) });
  }

  return (
    <section className="card" aria-labelledby="sign-up-heading">
      <h2 id="sign-up-heading">Create an organization</h2>
      <p className="muted">A new tenant, with you as its owner.</p>
      <form className="form" onSubmit={handleSubmit}>
        <TextField
          label="Organization name"
          name="organization"
          autoComplete="organization"
          required
          value={organization}
          onChange={setOrganization}
          errors={apiError?.fieldErrors('organization')}
        />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={setEmail}
          errors={apiError?.fieldErrors('email')}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={setPassword}
          errors={apiError?.fieldErrors('password')}
        />
        {signupMutation.isError ? <ProblemAlert error={signupMutation.error} shownFields={FIELDS} /> : null}
        <button type="submit" className="button" disabled={signupMutation.isPending}>
          {signupMutation.isPending ? 'Creating…' : 'Create organization'}
        </button>
      </form>
    </section>
  );
}
