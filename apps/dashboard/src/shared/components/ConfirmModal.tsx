import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { ProblemAlert } from './ProblemAlert';

interface ConfirmModalProps {
  opened: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Destructive actions are red. */
  danger?: boolean;
  /** Ask for a reason (required when `reasonRequired`); it is passed to onConfirm. */
  reason?: { label: string; required: boolean; placeholder?: string };
  pending: boolean;
  error: unknown;
  onConfirm: (reason: string) => void;
  onClose: () => void;
}

/**
 * A reason is single-line text for the API (it refuses tabs and line breaks there): the field wraps
 * long reasons as it is typed, and whatever whitespace was typed is sent as single spaces.
 */
const asOneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Every state change asks first; the reason, when asked for, goes into the audit trail. */
export function ConfirmModal({ opened, title, children, confirmLabel, danger, reason, pending, error, onConfirm, onClose }: ConfirmModalProps) {
  const [text, setText] = useState('');
  const missingReason = Boolean(reason?.required) && asOneLine(text) === '';

  return (
    <Modal
      opened={opened}
      onClose={() => {
        setText('');
        onClose();
      }}
      title={<Text fw={600}>{title}</Text>}
      centered
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!missingReason) onConfirm(asOneLine(text));
        }}
      >
        <Stack>
          <div>{children}</div>
          {reason ? (
            <Textarea
              label={reason.label}
              placeholder={reason.placeholder}
              required={reason.required}
              maxLength={500}
              autosize
              minRows={2}
              value={text}
              onChange={(event) => setText(event.currentTarget.value)}
              data-autofocus
            />
          ) : null}
          {error ? <ProblemAlert error={error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={pending}>
              Cancel
            </Button>
            <Button type="submit" color={danger ? 'red' : undefined} loading={pending} disabled={missingReason}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
