import { Button, Group, Text } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link } from 'react-router';
import { useCan } from '../../../shared/auth/permissions';
import { ConfirmModal } from '../../../shared/components/ConfirmModal';
import { formatDateTime } from '../../../shared/format/format';
import { fromPickerValue, toPickerValue, validateRenewal } from '../api/consent-form';
import { useRenewConsent, useWithdrawConsent, type Consent, type ConsentWithdrawal } from '../api/consents.queries';
import { WithdrawConsentDialog } from './WithdrawConsentDialog';

type Action = 'withdraw' | 'renew';

/** A withdrawn consent is over; an expired one may still be renewed. */
const canWithdraw = (c: Consent) => c.status === 'active' || c.status === 'upcoming';
const canRenew = (c: Consent) => c.status !== 'withdrawn';
const canBindTokens = (c: Consent) => c.status === 'active' || c.status === 'upcoming';

/** Withdraw and renew for roles that may change consents; issuing a bound token for those that may issue. */
export function ConsentActions({ consent }: { consent: Consent }) {
  const can = useCan();
  const [open, setOpen] = useState<Action | null>(null);
  const writable = can('custos:consents:write');
  const renewable = writable && canRenew(consent);
  const withdrawable = writable && canWithdraw(consent);
  const issuable = can('custos:tokens:issue') && canBindTokens(consent);

  return (
    <>
      {renewable || withdrawable || issuable ? (
        <Group gap="xs">
          {renewable ? (
            <Button variant="default" onClick={() => setOpen('renew')}>
              Renew
            </Button>
          ) : null}
          {withdrawable ? (
            <Button color="red" variant="light" onClick={() => setOpen('withdraw')}>
              Withdraw
            </Button>
          ) : null}
          {issuable ? (
            <Button variant="subtle" component={Link} to={`/tokens/new?consentId=${encodeURIComponent(consent.id)}`}>
              Issue a token for this consent
            </Button>
          ) : null}
        </Group>
      ) : null}
      {/* Stays open after the withdrawal, when the consent no longer offers Withdraw, to report its result. */}
      {open === 'withdraw' ? <WithdrawConsentModal consent={consent} onClose={() => setOpen(null)} /> : null}
      {open === 'renew' ? <RenewConsentModal consent={consent} onClose={() => setOpen(null)} /> : null}
    </>
  );
}

function WithdrawConsentModal({ consent, onClose }: { consent: Consent; onClose: () => void }) {
  const withdraw = useWithdrawConsent(consent.id);
  const [result, setResult] = useState<ConsentWithdrawal | null>(null);
  return (
    <WithdrawConsentDialog
      consent={consent}
      opened
      pending={withdraw.isPending}
      error={withdraw.error}
      result={result}
      onConfirm={(reason) => withdraw.mutate(reason, { onSuccess: setResult })}
      onClose={onClose}
    />
  );
}

/** A year past the current end, or past now for a consent that has already ended. */
function suggestedRenewal(currentValidUntil: string): string {
  const d = new Date(Math.max(Date.parse(currentValidUntil), Date.now()));
  d.setFullYear(d.getFullYear() + 1);
  return toPickerValue(d);
}

function RenewConsentModal({ consent, onClose }: { consent: Consent; onClose: () => void }) {
  const renew = useRenewConsent(consent.id);
  const [validUntil, setValidUntil] = useState<string | null>(() => suggestedRenewal(consent.validUntil));
  const [invalid, setInvalid] = useState<string | null>(null);
  return (
    <ConfirmModal
      opened
      title={`Renew the consent of ${consent.subjectRef}?`}
      confirmLabel="Renew"
      pending={renew.isPending}
      error={renew.error}
      onClose={onClose}
      onConfirm={() => {
        const problem = validateRenewal(validUntil, consent.validUntil);
        setInvalid(problem);
        if (problem) return;
        renew.mutate(new Date(fromPickerValue(validUntil)).toISOString(), {
          onSuccess: (renewed) => {
            notifications.show({ color: 'green', title: 'Renewed', message: `Now valid until ${formatDateTime(renewed.validUntil)} (version ${renewed.version}).` });
            onClose();
          },
        });
      }}
    >
      <Text size="sm" mb="sm">
        A renewal records a new version that extends the consent; it now ends {formatDateTime(consent.validUntil)}.
      </Text>
      <DateTimePicker label="New end" required value={validUntil} onChange={setValidUntil} error={invalid} />
    </ConfirmModal>
  );
}
