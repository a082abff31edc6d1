import { Button, Modal } from '@mantine/core';
import type { ReactNode } from 'react';
import { SecretReveal } from '../../tokens/components/SecretReveal';

interface WebhookSecretModalProps {
  title: string;
  secret: string;
  children: ReactNode;
  onClose: () => void;
}

/** A signing secret, once, over the page: after creating a webhook or rotating its secret. */
export function WebhookSecretModal({ title, secret, children, onClose }: WebhookSecretModalProps) {
  return (
    <Modal opened onClose={onClose} title={title} size="lg" closeOnClickOutside={false}>
      <SecretReveal
        title="Signing secret"
        label="Signing secret"
        secret={secret}
        keptAs="Custos keeps it encrypted to sign deliveries and never shows it again. If it is lost, rotate the secret to get a new one."
        actions={
          <Button variant="subtle" onClick={onClose}>
            Done
          </Button>
        }
      >
        {children}
      </SecretReveal>
    </Modal>
  );
}
