import { Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { PageHeader } from '../../../shared/components/PageHeader';
import { SessionsCard } from '../components/SessionsCard';
import { TotpCard } from '../components/TotpCard';

/**
 * "Me" → Security: the person's own second factors (authenticator app with its recovery codes, and
 * passkeys) and the sessions they are signed in with.
 */
export function SecurityPage({ passkeysCard }: { passkeysCard?: ReactNode } = {}) {
  return (
    <>
      <PageHeader title="Security" description="How you sign in, and where you are signed in. Every change is audited." />
      <Stack maw={960}>
        <TotpCard />
        {passkeysCard}
        <SessionsCard />
      </Stack>
    </>
  );
}
