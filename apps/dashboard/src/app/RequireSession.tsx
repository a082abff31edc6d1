import { Container } from '@mantine/core';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useMe } from '../features/session/api/session.queries';
import { ErrorState, LoadingState } from '../shared/components/states';
import { restrictedPathOf, RESTRICTION_PATHS } from './restriction';
import { loginPathFor } from './return-to';

/**
 * Pages below need a session; without one the user goes to log-in and comes back afterwards. A
 * restricted session (the organization requires MFA, say) reaches only the screen that lifts it.
 */
export function RequireSession() {
  const me = useMe();
  const location = useLocation();

  if (me.data) {
    const required = restrictedPathOf(me.data.restriction);
    if (required && location.pathname !== required) return <Navigate to={required} replace />;
    if (!required && RESTRICTION_PATHS.includes(location.pathname)) return <Navigate to="/overview" replace />;
    return <Outlet />;
  }
  if (me.data === null) return <Navigate to={loginPathFor(location)} replace />;
  return (
    <Container size="sm" py="xl">
      {me.isError ? <ErrorState error={me.error} onRetry={() => void me.refetch()} /> : <LoadingState label="Loading your session…" />}
    </Container>
  );
}
