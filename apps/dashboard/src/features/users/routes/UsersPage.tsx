import { Button, Group, Modal, PasswordInput, Select, Stack, Table, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useCan } from '../../../shared/auth/permissions';
import { ConfirmModal } from '../../../shared/components/ConfirmModal';
import { PageHeader } from '../../../shared/components/PageHeader';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { EmptyState, ErrorState, LoadingState } from '../../../shared/components/states';
import { fieldErrorsOf } from '../../../shared/forms/problem-fields';
import { formatDateTime } from '../../../shared/format/format';
import { useSession } from '../../session/api/session.queries';
import { useChangeRole, useCreateUser, useRemoveUser, useUsers, type Role, type User } from '../api/users.queries';

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
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<User | null>(null);
  const writable = can('custos:users:write');
  // Only an owner may hand out or take away the owner role (the API refuses it otherwise).
  const roleChoices = session.user.role === 'owner' ? ROLES : ROLES.filter((r) => r.value !== 'owner');

  return (
    <>
      <PageHeader
        title="Users and roles"
        description="People of your organization and what their role lets them do."
        actions={writable ? <Button onClick={() => setAdding(true)}>Add user</Button> : null}
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
                  <Table.Td>{formatDateTime(u.createdAt)}</Table.Td>
                  {writable ? (
                    <Table.Td>
                      {u.id !== session.user.id ? (
                        <Button size="xs" color="red" variant="subtle" onClick={() => setRemoving(u)} aria-label={`Remove ${u.email}`}>
                          Remove
                        </Button>
                      ) : null}
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {adding ? <AddUserModal choices={roleChoices} onClose={() => setAdding(false)} /> : null}
      {removing ? <RemoveUserModal user={removing} onClose={() => setRemoving(null)} /> : null}
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

const FIELDS = ['email', 'password', 'role'] as const;

function AddUserModal({ choices, onClose }: { choices: Array<{ value: Role; label: string }>; onClose: () => void }) {
  const create = useCreateUser();
  const form = useForm<{ email: string; password: string; role: Role }>({
    initialValues: { email: '', password: '', role: 'viewer' },
    validate: {
      email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : 'Enter a valid e-mail address'),
      password: (v) => (v.length >= 12 ? null : 'At least 12 characters'),
    },
  });
  const server = fieldErrorsOf(create.error, FIELDS);
  return (
    <Modal opened onClose={onClose} title="Add user">
      <form
        onSubmit={form.onSubmit((v) =>
          create.mutate(
            { email: v.email.trim(), password: v.password, role: v.role },
            {
              onSuccess: (user) => {
                notifications.show({ color: 'green', title: 'User added', message: `${user.email} can log in now.` });
                onClose();
              },
            },
          ),
        )}
        noValidate
      >
        <Stack>
          <TextInput label="E-mail" required {...form.getInputProps('email')} error={form.errors.email ?? server.email} />
          <PasswordInput label="Initial password" description="At least 12 characters" required {...form.getInputProps('password')} error={form.errors.password ?? server.password} />
          <Select label="Role" data={choices} allowDeselect={false} {...form.getInputProps('role')} error={form.errors.role ?? server.role} />
          {create.error ? <ProblemAlert error={create.error} shownFields={FIELDS} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Add user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
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
