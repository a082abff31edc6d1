import { Container } from '@mantine/core';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useMe } from '../features/session/api/session.queries';
import { ErrorState, LoadingState } from '../shared/components/states';
import { loginPathFor } from './return-to';

/** Pages below need a session; without one the user goes to log-in and comes back afterwards. */
export function RequireSession() {
  const me = useMe();
  const location = useLocation();

  if (me.data) return <Outlet />;
  if (me.data === null) return <Navigate to={loginPathFor(location)} replace />;
  return (
    <Container size="sm" py="xl">
      {me.isError ? <ErrorState error={me.error} onRetry={() => void me.refetch()} /> : <LoadingState label="Loading your session…" />}
    </Container>
  );
}
