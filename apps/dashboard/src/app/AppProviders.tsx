import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { StepUpDialog } from '../features/security/components/StepUpDialog';
import { PasskeyStepUpButton } from '../features/security/PasskeySignInButton';
import { sessionKeys } from '../features/session/api/session.queries';
import { rememberCsrfToken } from '../shared/api/client';
import { createQueryClient } from './query-client';
import { theme } from './theme';

/**
 * A 401 anywhere means the session is gone: forgetting it makes the signed-in layout send the user to
 * log in, with the page they were on as the way back.
 */
function createAppQueryClient(): QueryClient {
  const client: QueryClient = createQueryClient({
    onSessionLost: () => {
      rememberCsrfToken(undefined);
      client.setQueryData(sessionKeys.me(), null);
    },
  });
  return client;
}

export function AppProviders({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createAppQueryClient);
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="bottom-right" />
      <QueryClientProvider client={queryClient}>
        {children}
        {/* Asked for by any request refused with STEP_UP_REQUIRED (shared/api/step-up.ts). */}
        <StepUpDialog alternative={(done) => <PasskeyStepUpButton done={done} />} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
