import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { ConfirmModal } from '../../../shared/components/ConfirmModal';
import type { Consent, ConsentWithdrawal } from '../api/consents.queries';

export function revokedTokensText(count: number): string {
  return `${count.toLocaleString()} ${count === 1 ? 'token' : 'tokens'} revoked`;
}

interface WithdrawConsentDialogProps {
  consent: Consent;
  opened: boolean;
  pending: boolean;
  error: unknown;
  /** The API's answer once withdrawn: the dialog then says how many tokens it revoked. */
  result: ConsentWithdrawal | null;
  onConfirm: (reason: string) => void;
  onClose: () => void;
}

/**
 * Withdrawing cannot be undone and revokes tokens, so it asks first; afterwards it reports what the
 * API revoked, which may be fewer than were bound (some had already ended).
 */
export function WithdrawConsentDialog({ consent, opened, pending, error, result, onConfirm, onClose }: WithdrawConsentDialogProps) {
  if (result) {
    return (
      <Modal opened={opened} onClose={onClose} title={<Text fw={600}>Consent withdrawn</Text>} centered>
        <Stack>
          <Text size="lg" fw={600} data-testid="revoked-tokens">
            {revokedTokensText(result.revokedTokens)}
          </Text>
          <Text size="sm">
            The consent of {result.consent.subjectRef} for “{result.consent.purpose}” ended now. Tokens bound to it fail verification with
            CONSENT_WITHDRAWN; the revoked ones carry the reason consent_withdrawn.
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      </Modal>
    );
  }
  return (
    <ConfirmModal
      opened={opened}
      title={`Withdraw the consent of ${consent.subjectRef}?`}
      confirmLabel="Withdraw consent"
      danger
      reason={{ label: 'Reason (optional)', required: false, placeholder: 'e.g. the subject asked by e-mail on 12 May' }}
      pending={pending}
      error={error}
      onConfirm={onConfirm}
      onClose={onClose}
    >
      <Text size="sm">
        The consent for “{consent.purpose}” ends at once and cannot be restored. Every token bound to it that still works is revoked
        now ({consent.boundTokens.toLocaleString()} bound in all).
      </Text>
    </ConfirmModal>
  );
}
