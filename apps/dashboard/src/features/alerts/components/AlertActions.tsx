import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useCan } from '../../../shared/auth/permissions';
import { ConfirmModal } from '../../../shared/components/ConfirmModal';
import { allowedActions } from '../../tokens/api/token-actions';
import { useToken, type Token } from '../../tokens/api/tokens.queries';
import { RevokeModal, SuspendModal } from '../../tokens/components/TokenActions';
import { useAlertStatusChange, type Alert, type AlertStatusAction } from '../api/alerts.queries';

type Action = 'acknowledge' | 'resolve' | 'suspend' | 'revoke';

/**
 * What this user may do about the alert now: acknowledge it while open, resolve it until resolved
 * (custos:alerts:write), and suspend or revoke its token while the token's lifecycle allows it (the
 * token scopes, as on the token's page).
 */
export function AlertActions({ alert }: { alert: Alert }) {
  const can = useCan();
  const [open, setOpen] = useState<Action | null>(null);
  const token = useToken(alert.tokenId ?? '', alert.tokenId !== null);
  const writable = can('custos:alerts:write');
  const tokenActions = token.data ? allowedActions(token.data.status) : [];
  const canSuspend = tokenActions.includes('suspend') && can('custos:tokens:update');
  const canRevoke = tokenActions.includes('revoke') && can('custos:tokens:revoke');
  const canAcknowledge = writable && alert.status === 'open';
  const canResolve = writable && alert.status !== 'resolved';
  const close = () => setOpen(null);

  if (!canAcknowledge && !canResolve && !canSuspend && !canRevoke) return null;
  return (
    <>
      <Group gap="xs">
        {canAcknowledge ? <Button onClick={() => setOpen('acknowledge')}>Acknowledge</Button> : null}
        {canResolve ? (
          <Button variant={canAcknowledge ? 'default' : 'filled'} onClick={() => setOpen('resolve')}>
            Resolve
          </Button>
        ) : null}
        {canSuspend ? (
          <Button variant="default" onClick={() => setOpen('suspend')}>
            Suspend token
          </Button>
        ) : null}
        {canRevoke ? (
          <Button color="red" variant="light" onClick={() => setOpen('revoke')}>
            Revoke token
          </Button>
        ) : null}
      </Group>
      <StatusChangeModal alert={alert} action="acknowledge" opened={open === 'acknowledge'} onClose={close} />
      <StatusChangeModal alert={alert} action="resolve" opened={open === 'resolve'} onClose={close} />
      {token.data ? <TokenModals token={token.data} open={open} onClose={close} /> : null}
    </>
  );
}

function TokenModals({ token, open, onClose }: { token: Token; open: Action | null; onClose: () => void }) {
  return (
    <>
      <SuspendModal token={token} opened={open === 'suspend'} onClose={onClose} />
      <RevokeModal token={token} opened={open === 'revoke'} onClose={onClose} />
    </>
  );
}

const STATUS_CHANGES = {
  acknowledge: {
    title: 'Acknowledge this alert?',
    label: 'Acknowledge',
    text: 'Say that someone is on it. Repeats of its rule and subject keep adding to it until it is resolved.',
    done: 'The alert is acknowledged.',
  },
  resolve: {
    title: 'Resolve this alert?',
    label: 'Resolve',
    text: 'Close it. A later sign of the same rule and subject raises a new alert.',
    done: 'The alert is resolved.',
  },
} as const;

interface StatusChangeModalProps {
  alert: Alert;
  action: AlertStatusAction;
  opened: boolean;
  onClose: () => void;
}

/** Acknowledge or resolve, with an optional comment that goes into the alert and its audit event. */
function StatusChangeModal({ alert, action, opened, onClose }: StatusChangeModalProps) {
  const change = useAlertStatusChange(action, alert.id);
  const words = STATUS_CHANGES[action];
  const close = () => {
    change.reset();
    onClose();
  };
  return (
    <ConfirmModal
      opened={opened}
      title={words.title}
      confirmLabel={words.label}
      reason={{ label: 'Comment (optional)', required: false, placeholder: 'e.g. Looking into it with the orders team' }}
      pending={change.isPending}
      error={change.error}
      onClose={close}
      onConfirm={(comment) =>
        change.mutate(comment, {
          onSuccess: () => {
            notifications.show({ color: 'green', title: 'Done', message: words.done });
            close();
          },
        })
      }
    >
      <Text size="sm">{words.text}</Text>
    </ConfirmModal>
  );
}
