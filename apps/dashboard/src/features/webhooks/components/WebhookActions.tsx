import { Button, Group, Modal, NumberInput, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ConfirmModal } from '../../../shared/components/ConfirmModal';
import { formatDateTime } from '../../../shared/format/format';
import {
  useDeleteWebhook,
  useRotateWebhookSecret,
  useSendTestEvent,
  useUpdateWebhook,
  type Webhook,
  type WebhookWithSecret,
} from '../api/webhooks.queries';
import { webhookChanges } from '../api/webhook-changes';
import { WebhookForm } from './WebhookForm';
import { WebhookSecretModal } from './WebhookSecretModal';

type Action = 'edit' | 'toggle' | 'rotate' | 'delete';

/** How long the old secret keeps signing unless changed: the API's default, a day. */
const DEFAULT_GRACE_HOURS = 24;
const MAX_GRACE_HOURS = 7 * 24;

function done(message: string) {
  notifications.show({ color: 'green', title: 'Done', message });
}

/** What someone with custos:webhooks:write may do with a live endpoint; each change is confirmed first. */
export function WebhookActions({ webhook, onDeleted }: { webhook: Webhook; onDeleted: () => void }) {
  const [open, setOpen] = useState<Action | null>(null);
  const [rotated, setRotated] = useState<WebhookWithSecret | null>(null);
  const test = useSendTestEvent(webhook.id);
  const close = () => setOpen(null);

  return (
    <>
      <Group gap="xs">
        <Button
          variant="light"
          disabled={!webhook.enabled}
          title={webhook.enabled ? undefined : 'Enable it to send a test event'}
          loading={test.isPending}
          onClick={() =>
            test.mutate(undefined, {
              onSuccess: () => done('A webhook.test event is queued; it shows in the deliveries below.'),
              onError: (error) => notifications.show({ color: 'red', title: 'No test event sent', message: error.message }),
            })
          }
        >
          Send test event
        </Button>
        <Button variant="default" onClick={() => setOpen('edit')}>
          Edit
        </Button>
        <Button variant="default" onClick={() => setOpen('rotate')}>
          Rotate secret
        </Button>
        <Button variant="default" onClick={() => setOpen('toggle')}>
          {webhook.enabled ? 'Disable' : 'Enable'}
        </Button>
        <Button color="red" variant="subtle" onClick={() => setOpen('delete')}>
          Delete
        </Button>
      </Group>
      {open === 'edit' ? <EditModal webhook={webhook} onClose={close} /> : null}
      {open === 'toggle' ? <ToggleModal webhook={webhook} onClose={close} /> : null}
      {open === 'rotate' ? <RotateModal webhook={webhook} onClose={close} onRotated={setRotated} /> : null}
      {open === 'delete' ? <DeleteModal webhook={webhook} onClose={close} onDeleted={onDeleted} /> : null}
      {rotated ? (
        <WebhookSecretModal title="Signing secret rotated" secret={rotated.secret} onClose={() => setRotated(null)}>
          {rotated.webhook.dualSigningUntil
            ? `Until ${formatDateTime(rotated.webhook.dualSigningUntil)} every delivery carries a signature by the old and by this secret: switch your receiver to this one before then.`
            : 'The old secret no longer signs: deliveries verify with this one only.'}
        </WebhookSecretModal>
      ) : null}
    </>
  );
}

interface ModalProps {
  webhook: Webhook;
  onClose: () => void;
}

function EditModal({ webhook, onClose }: ModalProps) {
  const update = useUpdateWebhook(webhook.id);
  return (
    <Modal opened onClose={onClose} title="Edit webhook" size="lg">
      <WebhookForm
        webhook={webhook}
        pending={update.isPending}
        error={update.error}
        onCancel={onClose}
        onSubmit={(edited) => {
          const changes = webhookChanges(webhook, edited);
          if (Object.keys(changes).length === 0) return onClose();
          update.mutate(changes, {
            onSuccess: () => {
              done('The webhook was updated.');
              onClose();
            },
          });
        }}
      />
    </Modal>
  );
}

function ToggleModal({ webhook, onClose }: ModalProps) {
  const update = useUpdateWebhook(webhook.id);
  const disabling = webhook.enabled;
  return (
    <ConfirmModal
      opened
      title={disabling ? 'Disable this webhook?' : 'Enable this webhook?'}
      confirmLabel={disabling ? 'Disable' : 'Enable'}
      danger={disabling}
      pending={update.isPending}
      error={update.error}
      onClose={onClose}
      onConfirm={() =>
        update.mutate(
          { enabled: !disabling },
          {
            onSuccess: () => {
              done(disabling ? 'The webhook is disabled.' : 'The webhook is enabled again.');
              onClose();
            },
          },
        )
      }
    >
      <Text size="sm">
        {disabling
          ? 'It gets no new deliveries, and its pending ones are cancelled. Events while it is disabled are not sent later; re-send a delivery once it is enabled again.'
          : 'It gets the events it subscribes to from now on. Deliveries cancelled while it was disabled stay cancelled; re-send those you need.'}
      </Text>
    </ConfirmModal>
  );
}

function RotateModal({ webhook, onClose, onRotated }: ModalProps & { onRotated: (rotated: WebhookWithSecret) => void }) {
  const rotate = useRotateWebhookSecret(webhook.id);
  const [hours, setHours] = useState<number | string>(DEFAULT_GRACE_HOURS);
  const valid = typeof hours === 'number' && hours >= 0 && hours <= MAX_GRACE_HOURS;
  return (
    <ConfirmModal
      opened
      title="Rotate the signing secret?"
      confirmLabel="Rotate"
      pending={rotate.isPending}
      error={rotate.error}
      onClose={onClose}
      onConfirm={() => {
        if (!valid) return;
        rotate.mutate(Math.round(hours * 3600), {
          onSuccess: (result) => {
            onRotated(result);
            onClose();
          },
        });
      }}
    >
      <Text size="sm" mb="sm">
        A new secret is made and shown once. For the grace period every delivery carries two signatures, one by the old secret and one by the
        new, so your receiver accepts deliveries whichever it holds: switch it to the new secret within that time. With 0 the old secret stops at
        once (for a secret that leaked).
      </Text>
      <NumberInput
        label="Old secret keeps signing for (hours)"
        min={0}
        max={MAX_GRACE_HOURS}
        value={hours}
        onChange={setHours}
        error={valid ? undefined : `0 to ${MAX_GRACE_HOURS} hours`}
      />
    </ConfirmModal>
  );
}

function DeleteModal({ webhook, onClose, onDeleted }: ModalProps & { onDeleted: () => void }) {
  const remove = useDeleteWebhook(webhook.id);
  return (
    <ConfirmModal
      opened
      title="Delete this webhook?"
      confirmLabel="Delete"
      danger
      pending={remove.isPending}
      error={remove.error}
      onClose={onClose}
      onConfirm={() =>
        remove.mutate(undefined, {
          onSuccess: () => {
            done('The webhook is deleted.');
            onClose();
            onDeleted();
          },
        })
      }
    >
      <Text size="sm">
        {webhook.url} gets nothing more and its pending deliveries are cancelled. It cannot be restored; its history stays in the audit log.
      </Text>
    </ConfirmModal>
  );
}
