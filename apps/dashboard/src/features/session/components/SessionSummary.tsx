import { ApiError } from '../../../shared/api/http';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import type { Me } from '../api/session.api';
import { useLogout } from '../api/session.queries';

export function SessionSummary({ me }: { me: Me }) {
  const logoutMutation = useLogout();
  // A 401 means the session had already ended: `me` is read again and the sign-in form takes over.
  const showError =
    logoutMutation.isError && !(logoutMutation.error instanceof ApiError && logoutMutation.error.status === 401);

  return (
    <section className="card" aria-labelledby="session-heading">
      <div className="card-header">
        <h2 id="session-heading">Signed in</h2>
        <span className="badge">{me.user.role}</span>
      </div>
      <dl className="details">
        <dt>Email</dt>
        <dd>{me.user.email}</dd>
        <dt>Organization</dt>
        <dd>{me.tenant.name}</dd>
        <dt>Tenant ID</dt>
        <dd>
          <code>{me.tenant.id}</code>
        </dd>
        <dt>User ID</dt>
        <dd>
          <code>{me.user.id}</code>
        </dd>
      </dl>
      <p className="muted">
        Token management in the dashboard is on its way. Until then, use the API: see the{' '}
        <a href="/docs">API documentation</a>.
      </p>
      {showError ? <ProblemAlert error={logoutMutation.error} /> : null}
      <button
        type="button"
        className="button button-secondary"
        onClick={() => logoutMutation.mutate(me.csrfToken)}
        disabled={logoutMutation.isPending}
      >
        {logoutMutation.isPending ? 'Logging out…' : 'Log out'}
      </button>
    </section>
  );
}
