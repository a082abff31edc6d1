import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { useReadiness } from '../api/health.queries';

const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** Readiness of the API and what it depends on, from GET /health/ready. */
export function StatusPanel() {
  const readiness = useReadiness();

  return (
    <section className="card" aria-labelledby="status-heading" aria-busy={readiness.isFetching}>
      <div className="card-header">
        <h2 id="status-heading">Service status</h2>
        {readiness.isError ? (
          <span className="badge badge-failing">Unreachable</span>
        ) : readiness.data ? (
          <span className={`badge ${readiness.data.ready ? 'badge-ok' : 'badge-failing'}`}>
            {readiness.data.ready ? 'Ready' : 'Not ready'}
          </span>
        ) : null}
      </div>

      {readiness.isPending ? <p className="muted">Checking the API…</p> : null}

      {readiness.isError ? <ProblemAlert error={readiness.error} onRetry={() => void readiness.refetch()} /> : null}

      {readiness.data ? (
        <>
          {readiness.data.detail ? <p>{readiness.data.detail}</p> : null}
          {readiness.data.checks.length > 0 ? (
            <ul className="checks">
              {readiness.data.checks.map((check) => (
                <li key={check.name} className="check">
                  <span className="check-name">{check.name}</span>
                  <span className={`badge ${check.state === 'ok' ? 'badge-ok' : 'badge-failing'}`}>
                    {check.state === 'ok' ? 'ok' : 'failing'}
                  </span>
                  {check.message ? <span className="check-message">{check.message}</span> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">The API reported no individual checks.</p>
          )}
          <p className="muted small">
            {readiness.isError ? 'Last answer' : 'Last checked'} {timeFormat.format(readiness.dataUpdatedAt)}.{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => void readiness.refetch()}
              disabled={readiness.isFetching}
            >
              {readiness.isFetching ? 'Checking…' : 'Check now'}
            </button>
          </p>
        </>
      ) : null}
    </section>
  );
}
