import { Badge, Button, Group, Select, Table } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useCan } from '../../../shared/auth/permissions';
import { ConfirmModal } from '../../../shared/components/ConfirmModal';
import { PageHeader } from '../../../shared/components/PageHeader';
import { EmptyState, ErrorState, LoadingState } from '../../../shared/components/states';
import { formatDateTime } from '../../../shared/format/format';
import { useSession } from '../../session/api/session.queries';
import { useChangeRole, useEndUserSessions, useRemoveUser, useUsers, type Role, type User } from '../api/users.queries';
import { InviteUserModal } from '../components/InviteUserModal';
import { PendingInvitations } from '../components/PendingInvitations';

const ROLES: Array<{ value: Role; label: string }> = [
  { value: 'owner', label: 'Owner' },
  { value: 'admin', label: 'Admin' },
  { value: 'operator', label: 'Operator' },
  { value: 'auditor', label: 'Auditor (read-only)' },
  { value: 'viewer', label: 'Viewer (read-only)' },
];

export function UsersPage() {
  const can = useCan();
  const session = useSession();
  const users = useUsers();
  const [inviting, setInviting] = useState(false);
  const [removing, setRemoving] = useState<User | null>(null);
  const [signingOut, setSigningOut] = useState<User | null>(null);
  const writable = can('custos:users:write');
  // Ending a person's sessions is for owners and admins (DELETE /v1/users/:id/sessions).
  const mayEndSessions = session.user.role === 'owner' || session.user.role === 'admin';
  // Only an owner may hand out or take away the owner role (the API refuses it otherwise).
  const roleChoices = session.user.role === 'owner' ? ROLES : ROLES.filter((r) => r.value !== 'owner');

  return (
    <>
      <PageHeader
        title="Users and roles"
        description="People of your organization and what their role lets them do. Invite people: they choose their own password."
        actions={writable ? <Button onClick={() => setInviting(true)}>Invite</Button> : null}
      />
      {users.isPending ? (
        <LoadingState label="Loading users…" />
      ) : users.isError ? (
        <ErrorState error={users.error} onRetry={() => void users.refetch()} />
      ) : users.data.length === 0 ? (
        <EmptyState title="No users" />
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped verticalSpacing="xs" aria-label="Users">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>E-mail</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Two-step</Table.Th>
                <Table.Th>Added</Table.Th>
                {writable ? <Table.Th aria-label="Actions" /> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.data.map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td>{u.email}</Table.Td>
                  <Table.Td>
                    {writable && u.id !== session.user.id && (u.role !== 'owner' || session.user.role === 'owner') ? (
                      <RoleSelect user={u} choices={roleChoices} />
                    ) : (
                      u.role
                    )}
                  </Table.Td>
                  <Table.Td>
                    <MfaBadge enabled={u.mfaEnabled} />
                  </Table.Td>
                  <Table.Td>{formatDateTime(u.createdAt)}</Table.Td>
                  {writable ? (
                    <Table.Td>
                      {u.id !== session.user.id ? (
                        <Group gap={4} wrap="nowrap">
                          {mayEndSessions ? (
                            <Button size="xs" variant="subtle" onClick={() => setSigningOut(u)} aria-label={`End all sessions of ${u.email}`}>
                              End all sessions
                            </Button>
                          ) : null}
                          <Button size="xs" color="red" variant="subtle" onClick={() => setRemoving(u)} aria-label={`Remove ${u.email}`}>
                            Remove
                          </Button>
                        </Group>
                      ) : null}
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {users.data ? <PendingInvitations writable={writable} people={users.data} /> : null}
      {inviting ? <InviteUserModal choices={roleChoices} onClose={() => setInviting(false)} /> : null}
      {removing ? <RemoveUserModal user={removing} onClose={() => setRemoving(null)} /> : null}
      {signingOut ? <EndSessionsModal user={signingOut} onClose={() => setSigningOut(null)} /> : null}
    </>
  );
}

function RoleSelect({ user, choices }: { user: User; choices: Array<{ value: Role; label: string }> }) {
  const change = useChangeRole();
  return (
    <Select
      aria-label={`Role of ${user.email}`}
      data={choices}
      value={user.role}
      allowDeselect={false}
      disabled={change.isPending}
      w={200}
      onChange={(role) => {
        if (!role || role === user.role) return;
        change.mutate(
          { id: user.id, role: role as Role },
          {
            onSuccess: () => notifications.show({ color: 'green', title: 'Role changed', message: `${user.email} is now ${role}.` }),
            onError: (error) => notifications.show({ color: 'red', title: 'Role not changed', message: error.message }),
          },
        );
      }}
    />
  );
}

function RemoveUserModal({ user, onClose }: { user: User; onClose: () => void }) {
  const remove = useRemoveUser();
  return (
    <ConfirmModal
      opened
      title={`Remove ${user.email}?`}
      confirmLabel="Remove"
      danger
      pending={remove.isPending}
      error={remove.error}
      onClose={onClose}
      onConfirm={() =>
        remove.mutate(user.id, {
          onSuccess: () => {
            notifications.show({ color: 'green', title: 'User removed', message: `${user.email} can no longer log in.` });
            onClose();
          },
        })
      }
    >
      They lose access at once; their sessions end.
    </ConfirmModal>
  );
}

/** Whether a person has a second factor (GET /v1/users' mfaEnabled). */
function MfaBadge({ enabled }: { enabled: boolean }) {
  return (
    <Badge size="sm" variant="light" color={enabled ? 'green' : 'gray'}>
      {enabled ? 'On' : 'Off'}
    </Badge>
  );
}

function EndSessionsModal({ user, onClose }: { user: User; onClose: () => void }) {
  const end = useEndUserSessions();
  return (
    <ConfirmModal
      opened
      title={`End all sessions of ${user.email}?`}
      confirmLabel="End all sessions"
      danger
      pending={end.isPending}
      error={end.error}
      onClose={onClose}
      onConfirm={() =>
        end.mutate(user.id, {
          onSuccess: () => {
            notifications.show({ color: 'green', title: 'Sessions ended', message: `${user.email} is signed out everywhere.` });
            onClose();
          },
        })
      }
    >
      Every browser they are signed in with is signed out at once. They can log in again; to keep them out, remove them or change their role.
    </ConfirmModal>
  );
}
