import { useState } from 'react';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { useMe } from '../api/session.queries';
import { SessionSummary } from './SessionSummary';
import { SignInForm } from './SignInForm';
import { SignUpForm } from './SignUpForm';

/** The signed-in user and tenant, or the ways in: sign in, or create an organization. */
export function SessionPanel() {
  const me = useMe();

  if (me.data) return <SessionSummary me={me.data} />;
  if (me.data === null) return <SignedOut />;
  if (me.isError) {
    return (
      <section className="card" aria-labelledby="session-error-heading">
        <h2 id="session-error-heading">Session</h2>
        <ProblemAlert error={me.error} onRetry={() => void me.refetch()} />
      </section>
    );
  }
  return (
    <section className="card" aria-busy="true" aria-label="Session">
      <p className="muted">Loading your session…</p>
    </section>
  );
}

function SignedOut() {
  const [signedUpEmail, setSignedUpEmail] = useState<string | null>(null);

  return (
    <div className="stack">
      <SignInForm
        key={signedUpEmail ?? ''}
        initialEmail={signedUpEmail ?? ''}
        notice={signedUpEmail ? 'Your organization is ready. Sign in to continue.' : undefined}
      />
      <SignUpForm onSignedUp={setSignedUpEmail} />
    </div>
  );
}
