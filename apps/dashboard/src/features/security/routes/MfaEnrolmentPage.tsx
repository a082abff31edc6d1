import { Alert, Anchor, Center, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useLogout, useSession } from '../../session/api/session.queries';
import { TotpEnrolmentFlow } from '../components/TotpEnrolment';

/**
 * The only screen of a session restricted to `mfa_enrolment`: the organization requires MFA for the
 * person's role and they have none. Once enrolled, the session is read again and the guard lets them in.
 */
export function MfaEnrolmentPage({ passkeysCard }: { passkeysCard?: ReactNode } = {}) {
  const session = useSession();
  const logout = useLogout();
  const navigate = useNavigate();
  return (
    <Center mih="100vh" p="md" component="main">
      <Stack w="100%" maw={640} gap="lg">
        <Stack gap={0} align="center">
          <Title order={1} size="h2">
            Set up two-step verification
          </Title>
          <Text c="dimmed" size="sm">
            {session.user.email} · {session.tenant.name}
          </Text>
        </Stack>
        <Alert color="indigo" variant="light" title="Your organization requires it">
          {session.tenant.name} requires people with the {session.user.role} role to use a second factor when they sign in. Set one up to continue: nothing else is
          available until then.
        </Alert>
        <Paper withBorder shadow="sm" p="lg" radius="md" role="region" aria-label="Authenticator app">
          <Stack>
            <Title order={2} size="h4">
              Authenticator app
            </Title>
            <TotpEnrolmentFlow />
          </Stack>
        </Paper>
        {passkeysCard}
        <Text size="sm" ta="center">
          <Anchor component="button" type="button" onClick={() => logout.mutate(undefined, { onSettled: () => void navigate('/login', { replace: true }) })}>
            Log out
          </Anchor>
        </Text>
      </Stack>
    </Center>
  );
}
