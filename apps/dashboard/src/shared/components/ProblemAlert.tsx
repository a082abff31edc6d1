import { ApiError } from '../api/http';

interface ProblemAlertProps {
  error: unknown;
  /** Fields that show their own errors; the rest are listed here. */
  shownFields?: readonly string[];
  onRetry?: () => void;
}

/** Shows an API problem's detail (and field errors no field shows), or a generic message. */
export function ProblemAlert({ error, shownFields = [], onRetry }: ProblemAlertProps) {
  const problem = error instanceof ApiError ? error.problem : null;
  const otherErrors = error instanceof ApiError ? error.otherFieldErrors(shownFields) : [];

  return (
    <div className="alert" role="alert">
      <p className="alert-title">{problem?.title ?? 'Something went wrong'}</p>
      <p>{problem?.detail ?? 'An unexpected error occurred. Please try again.'}</p>
      {otherErrors.length > 0 ? (
        <ul>
          {otherErrors.map((e) => (
            <li key={`${e.field}:${e.message}`}>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      {problem?.requestId ? <p className="alert-meta">Request ID: {problem.requestId}</p> : null}
      {onRetry ? (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
