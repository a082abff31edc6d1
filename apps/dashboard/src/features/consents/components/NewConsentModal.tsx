import { Modal } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCreateConsent, type Consent } from '../api/consents.queries';
import { NewConsentForm } from './NewConsentForm';

export function NewConsentModal({ onClose, onCreated }: { onClose: () => void; onCreated: (consent: Consent) => void }) {
  const create = useCreateConsent();
  return (
    <Modal opened onClose={onClose} title="New consent" size="lg">
      <NewConsentForm
        pending={create.isPending}
        error={create.error}
        onCancel={onClose}
        onSubmit={(body) =>
          create.mutate(body, {
            onSuccess: (consent) => {
              notifications.show({ color: 'green', title: 'Recorded', message: `The consent of ${consent.subjectRef} was recorded.` });
              onCreated(consent);
            },
          })
        }
      />
    </Modal>
  );
}
