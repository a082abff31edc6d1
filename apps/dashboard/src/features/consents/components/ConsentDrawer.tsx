import { Drawer, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorState, LoadingState } from '../../../shared/components/states';
import { useConsent, type ConsentDetail } from '../api/consents.queries';
import { BoundTokensTable } from './BoundTokensTable';
import { ConsentActions } from './ConsentActions';
import { ConsentFacts } from './ConsentFacts';
import { ConsentStatusBadge } from './ConsentStatusBadge';
import { ConsentVersionsTable } from './ConsentVersionsTable';

/** The consent picked on the timeline: everything about it, and what may be done to it. */
export function ConsentDrawer({ consentId, onClose }: { consentId: string | null; onClose: () => void }) {
  const consent = useConsent(consentId);
  return (
    <Drawer opened={consentId !== null} onClose={onClose} position="right" size="xl" title={<Text fw={600}>Consent</Text>}>
      {consentId === null ? null : consent.isPending ? (
        <LoadingState label="Loading the consent…" />
      ) : consent.isError ? (
        <ErrorState error={consent.error} onRetry={() => void consent.refetch()} />
      ) : (
        <ConsentDetailView consent={consent.data} />
      )}
    </Drawer>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {title}
      </Title>
      {children}
    </Stack>
  );
}

export function ConsentDetailView({ consent }: { consent: ConsentDetail }) {
  return (
    <Stack gap="lg" data-consent-detail={consent.id}>
      <Group gap="xs">
        <ConsentStatusBadge status={consent.status} />
        <Text size="sm" c="dimmed">
          {consent.id}
        </Text>
      </Group>
      <ConsentActions key={consent.id} consent={consent} />
      <ConsentFacts consent={consent} />
      <Section title="Versions">
        <ConsentVersionsTable versions={consent.versions} label="Consent versions" />
      </Section>
      <Section title="Bound tokens">
        <BoundTokensTable tokens={consent.tokens} label="Bound tokens" />
      </Section>
    </Stack>
  );
}
