import { Button, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ActorName } from '../../../shared/components/ActorName';
import { ConfirmModal } from '../../../shared/components/ConfirmModal';
import { ErrorState, LoadingState } from '../../../shared/components/states';
import type { Actor } from '../../../shared/format/actor';
import { formatDateTime } from '../../../shared/format/format';
import { useInvitations, useRevokeInvitation, type Invitation } from '../../invitations/api/invitations.queries';

/** The invitations waiting for an answer; who may manage people revokes them. */
export function PendingInvitations({ writable, people }: { writable: boolean; people: ReadonlyArray<{ id: string; email: string }> }) {
  const invitations = useInvitations();
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  if (invitations.isPending) return <LoadingState label="Loading invitations…" />;
  if (invitations.isError) return <ErrorState error={invitations.error} onRetry={() => void invitations.refetch()} />;
  if (invitations.data.length === 0) return null;
  return (
    <Stack gap="xs" mt="xl">
      <Title order={2} size="h4">
        Pending invitations
      </Title>
      <Text size="sm" c="dimmed">
        Links not yet used; each works once, for 72 hours.
      </Text>
      <Table.ScrollContainer minWidth={560}>
        <Table striped verticalSpacing="xs" aria-label="Pending invitations">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>E-mail</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Invited by</Table.Th>
              <Table.Th>Expires</Table.Th>
              {writable ? <Table.Th aria-label="Actions" /> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {invitations.data.map((i) => (
              <Table.Tr key={i.id}>
                <Table.Td>{i.email}</Table.Td>
                <Table.Td>{i.role}</Table.Td>
                <Table.Td>
                  <ActorName id={i.invitedBy} actor={inviterOf(i.invitedBy, people)} />
                </Table.Td>
                <Table.Td>{formatDateTime(i.expiresAt)}</Table.Td>
                {writable ? (
                  <Table.Td>
                    <Button size="xs" color="red" variant="subtle" onClick={() => setRevoking(i)} aria-label={`Revoke the invitation of ${i.email}`}>
                      Revoke
                    </Button>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {revoking ? <RevokeInvitationModal invitation={revoking} onClose={() => setRevoking(null)} /> : null}
    </Stack>
  );
}

/** The inviter as the people list names them; a service key (or someone removed since) shows as its id. */
function inviterOf(id: string, people: ReadonlyArray<{ id: string; email: string }>): Actor | null {
  const person = people.find((p) => p.id === id);
  return person ? { id, kind: 'user', email: person.email, name: null, removedAt: null } : null;
}

function RevokeInvitationModal({ invitation, onClose }: { invitation: Invitation; onClose: () => void }) {
  const revoke = useRevokeInvitation();
  return (
    <ConfirmModal
      opened
      title={`Revoke the invitation of ${invitation.email}?`}
      confirmLabel="Revoke"
      danger
      pending={revoke.isPending}
      error={revoke.error}
      onClose={onClose}
      onConfirm={() =>
        revoke.mutate(invitation.id, {
          onSuccess: () => {
            notifications.show({ color: 'green', title: 'Invitation revoked', message: `The link sent to ${invitation.email} no longer works.` });
            onClose();
          },
        })
      }
    >
      The link stops working at once. You can invite them again later.
    </ConfirmModal>
  );
}
