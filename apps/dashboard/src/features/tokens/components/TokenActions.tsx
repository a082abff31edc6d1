import { Button, Group, Modal, NumberInput, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link } from 'react-router';
import { useCan, type Permission } from '../../../shared/auth/permissions';
import { ConfirmModal } from '../../../shared/components/ConfirmModal';
import { isEditable } from '../api/edit-token.form';
import { allowedActions, type TokenAction } from '../api/token-actions';
import { useResumeToken, useRevokeToken, useRotateToken, useSuspendToken, type IssuedToken, type Token } from '../api/tokens.queries';
import { SecretReveal } from './SecretReveal';

const NEEDS: Record<TokenAction, Permission> = {
  rotate: 'custos:tokens:rotate',
  suspend: 'custos:tokens:update',
  resume: 'custos:tokens:update',
  revoke: 'custos:tokens:revoke',
};

/** The lifecycle actions this user may take on this token now, each behind a confirmation. */
export function TokenActions({ token }: { token: Token }) {
  const can = useCan();
  const [open, setOpen] = useState<TokenAction | null>(null);
  const [rotated, setRotated] = useState<IssuedToken | null>(null);
  const actions = allowedActions(token.status).filter((a) => can(NEEDS[a]));
  const editable = isEditable(token.status) && can('custos:tokens:update');

  return (
    <>
      {rotated ? <RotatedModal token={token} rotated={rotated} onClose={() => setRotated(null)} /> : null}
      {actions.length === 0 && !editable ? null : (
        <Group gap="xs">
          {editable ? (
            <Button variant="default" component={Link} to={`/tokens/${encodeURIComponent(token.id)}/edit`}>
              Edit
            </Button>
          ) : null}
          {actions.includes('rotate') ? <Button onClick={() => setOpen('rotate')}>Rotate</Button> : null}
          {actions.includes('suspend') ? (
            <Button variant="default" onClick={() => setOpen('suspend')}>
              Suspend
            </Button>
          ) : null}
          {actions.includes('resume') ? (
            <Button variant="default" onClick={() => setOpen('resume')}>
              Resume
            </Button>
          ) : null}
          {actions.includes('revoke') ? (
            <Button color="red" variant="light" onClick={() => setOpen('revoke')}>
              Revoke
            </Button>
          ) : null}
        </Group>
      )}
      <RotateModal token={token} opened={open === 'rotate'} onClose={() => setOpen(null)} onRotated={setRotated} />
      <SuspendModal token={token} opened={open === 'suspend'} onClose={() => setOpen(null)} />
      <ResumeModal token={token} opened={open === 'resume'} onClose={() => setOpen(null)} />
      <RevokeModal token={token} opened={open === 'revoke'} onClose={() => setOpen(null)} />
    </>
  );
}

/** The successor's secret, once, over the page: closing it leaves the old token's page and actions. */
function RotatedModal({ token, rotated, onClose }: { token: Token; rotated: IssuedToken; onClose: () => void }) {
  return (
    <Modal opened onClose={onClose} title="Token rotated" size="lg" closeOnClickOutside={false}>
      <SecretReveal
        title={`Successor of "${token.name}"`}
        secret={rotated.secret}
        actions={
          <>
            <Button variant="default" component={Link} to={`/tokens/${rotated.token.id}`} onClick={onClose}>
              Go to the successor
            </Button>
            <Button variant="subtle" onClick={onClose}>
              Done
            </Button>
          </>
        }
      >
        The old token keeps working until the end of its grace period, never past its own expiry.
      </SecretReveal>
    </Modal>
  );
}

interface ModalProps {
  token: Token;
  opened: boolean;
  onClose: () => void;
}

function done(message: string) {
  notifications.show({ color: 'green', title: 'Done', message });
}

function RotateModal({ token, opened, onClose, onRotated }: ModalProps & { onRotated: (issued: IssuedToken) => void }) {
  const rotate = useRotateToken(token.id);
  const [graceHours, setGraceHours] = useState<number | string>(token.gracePeriodSeconds !== null ? token.gracePeriodSeconds / 3600 : '');
  const close = () => {
    rotate.reset();
    onClose();
  };
  return (
    <ConfirmModal
      opened={opened}
      title={`Rotate "${token.name}"?`}
      confirmLabel="Rotate"
      pending={rotate.isPending}
      error={rotate.error}
      onClose={close}
      onConfirm={() =>
        rotate.mutate(graceHours === '' ? undefined : Math.round(Number(graceHours) * 3600), {
          onSuccess: (issued) => {
            done('A successor was issued. Copy its secret now.');
            onRotated(issued);
            close();
          },
        })
      }
    >
      <Text size="sm" mb="sm">
        A successor with the same scopes and restrictions is issued. The old token keeps working for the grace period, never past its own
        expiry.
      </Text>
      <NumberInput label="Grace period (hours)" placeholder="The token's or policy's default" min={0} max={720} value={graceHours} onChange={setGraceHours} />
    </ConfirmModal>
  );
}

/** Also offered on an alert about the token. */
export function SuspendModal({ token, opened, onClose }: ModalProps) {
  const suspend = useSuspendToken(token.id);
  const close = () => {
    suspend.reset();
    onClose();
  };
  return (
    <ConfirmModal
      opened={opened}
      title={`Suspend "${token.name}"?`}
      confirmLabel="Suspend"
      reason={{ label: 'Reason (optional)', required: false }}
      pending={suspend.isPending}
      error={suspend.error}
      onClose={close}
      onConfirm={(reason) => suspend.mutate(reason, { onSuccess: () => {
            done('The token is suspended; resume it to use it again.');
            close();
          }, })}
    >
      <Text size="sm">Verification answers SUSPENDED until the token is resumed.</Text>
    </ConfirmModal>
  );
}

function ResumeModal({ token, opened, onClose }: ModalProps) {
  const resume = useResumeToken(token.id);
  const close = () => {
    resume.reset();
    onClose();
  };
  return (
    <ConfirmModal
      opened={opened}
      title={`Resume "${token.name}"?`}
      confirmLabel="Resume"
      pending={resume.isPending}
      error={resume.error}
      onClose={close}
      onConfirm={() => resume.mutate(undefined, { onSuccess: () => {
            done('The token works again.');
            close();
          }, })}
    >
      <Text size="sm">The token verifies again, within its expiry and restrictions.</Text>
    </ConfirmModal>
  );
}

/** Also offered on an alert about the token. */
export function RevokeModal({ token, opened, onClose }: ModalProps) {
  const revoke = useRevokeToken(token.id);
  const close = () => {
    revoke.reset();
    onClose();
  };
  return (
    <ConfirmModal
      opened={opened}
      title={`Revoke "${token.name}"?`}
      confirmLabel="Revoke"
      danger
      reason={{ label: 'Reason', required: true, placeholder: 'e.g. leaked in a build log' }}
      pending={revoke.isPending}
      error={revoke.error}
      onClose={close}
      onConfirm={(reason) => revoke.mutate(reason, { onSuccess: () => {
            done('The token is revoked and stops working at once.');
            close();
          }, })}
    >
      <Text size="sm">A revoked token stops working at once, on every instance, and cannot be restored.</Text>
    </ConfirmModal>
  );
}
