import { Stack } from '@mantine/core';
import { DetailDrawer, DetailHeading, DetailSection } from '../../../shared/components/DetailDrawer';
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
    <DetailDrawer opened={consentId !== null} onClose={onClose} title="Consent">
      {consentId === null ? null : consent.isPending ? (
        <LoadingState label="Loading the consent…" />
      ) : consent.isError ? (
        <ErrorState error={consent.error} onRetry={() => void consent.refetch()} />
      ) : (
        <ConsentDetailView consent={consent.data} />
      )}
    </DetailDrawer>
  );
}

function ConsentDetailView({ consent }: { consent: ConsentDetail }) {
  return (
    <Stack gap="lg" data-consent-detail={consent.id}>
      <DetailHeading status={<ConsentStatusBadge status={consent.status} />} id={consent.id} />
      <ConsentActions key={consent.id} consent={consent} />
      <ConsentFacts consent={consent} />
      <DetailSection title="Versions">
        <ConsentVersionsTable versions={consent.versions} label="Consent versions" />
      </DetailSection>
      <DetailSection title="Bound tokens">
        <BoundTokensTable tokens={consent.tokens} label="Bound tokens" />
      </DetailSection>
    </Stack>
  );
}
