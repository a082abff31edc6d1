import { Badge, Button, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ConfirmModal } from '../../shared/components/ConfirmModal';
import { ProblemAlert } from '../../shared/components/ProblemAlert';
import { ErrorState, LoadingState } from '../../shared/components/states';
import { formatDateTime, formatRelative } from '../../shared/format/format';
import { browserRefusal, usePasskeys, useRegisterPasskey, useRemovePasskey, useRenamePasskey, type Passkey } from './api/passkeys.queries';
import { SecurityCard } from './components/TotpCard';

const NAME_MAX = 100;

/** A name for a passkey: what the person typed, trimmed; null when it is blank or too long. */
export function passkeyName(typed: string): string | null {
  const name = typed.trim();
  return name && name.length <= NAME_MAX ? name : null;
}

function nameError(typed: string, tried: boolean): string | null {
  if (!tried) return null;
  if (!typed.trim()) return 'Give the passkey a name, e.g. the device it is on';
  return typed.trim().length > NAME_MAX ? `At most ${NAME_MAX} characters` : null;
}

interface PasskeysTableProps {
  passkeys: Passkey[];
  onRename: (passkey: Passkey) => void;
  onRemove: (passkey: Passkey) => void;
}

/** The person's passkeys, oldest first, each with its rename and remove buttons. */
export function PasskeysTable({ passkeys, onRename, onRemove }: PasskeysTableProps) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing="xs" aria-label="Passkeys">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Added</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {passkeys.map((p) => (
            <Table.Tr key={p.id} data-passkey-id={p.id}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {p.name}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(p.createdAt)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" title={p.lastUsedAt ? formatDateTime(p.lastUsedAt) : undefined}>
                  {p.lastUsedAt ? formatRelative(p.lastUsedAt) : 'Never'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  <Button size="xs" variant="default" onClick={() => onRename(p)} aria-label={`Rename ${p.name}`}>
                    Rename
                  </Button>
                  <Button size="xs" variant="subtle" color="red" onClick={() => onRemove(p)} aria-label={`Remove ${p.name}`}>
                    Remove
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Registers a new passkey under a name: the browser then asks the person to use their authenticator. */
export function AddPasskeyForm({ register }: { register?: (name: string) => Promise<Passkey> }) {
  const add = useRegisterPasskey(register);
  const [name, setName] = useState('');
  const [tried, setTried] = useState(false);
  const refusal = browserRefusal(add.error);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        setTried(true);
        const valid = passkeyName(name);
        if (!valid) return;
        add.mutate(valid, {
          onSuccess: (passkey) => {
            setName('');
            setTried(false);
            notifications.show({ color: 'green', title: 'Passkey added', message: `"${passkey.name}" can now confirm your log-ins.` });
          },
        });
      }}
      noValidate
    >
      <Stack gap="xs">
        <Group align="flex-start">
          <TextInput
            label="Passkey name"
            placeholder="e.g. Work laptop"
            description="To tell your passkeys apart"
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={nameError(name, tried)}
            maxLength={NAME_MAX + 20}
            style={{ flex: 1, maxWidth: 360 }}
          />
          <Button type="submit" loading={add.isPending} mt={24}>
            Add a passkey
          </Button>
        </Group>
        {refusal ? (
          <Text size="sm" c="red" role="alert">
            {refusal}
          </Text>
        ) : add.error ? (
          <ProblemAlert error={add.error} />
        ) : null}
      </Stack>
    </form>
  );
}

function RenameModal({ passkey, onClose }: { passkey: Passkey; onClose: () => void }) {
  const rename = useRenamePasskey();
  const [name, setName] = useState(passkey.name);
  const [tried, setTried] = useState(false);
  return (
    <Modal opened onClose={onClose} title={<Text fw={600}>Rename passkey</Text>} centered>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setTried(true);
          const valid = passkeyName(name);
          if (valid) rename.mutate({ id: passkey.id, name: valid }, { onSuccess: onClose });
        }}
        noValidate
      >
        <Stack>
          <TextInput label="Name" value={name} onChange={(event) => setName(event.currentTarget.value)} error={nameError(name, tried)} data-autofocus />
          {rename.error ? <ProblemAlert error={rename.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={rename.isPending}>
              Cancel
            </Button>
            <Button type="submit" loading={rename.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * The passkeys part of the Security page: a passkey (a fingerprint, face or PIN on this device, a
 * security key, or a phone) confirms log-ins and sensitive actions instead of a code. Add, rename, remove.
 */
export function PasskeysCard({ register }: { register?: (name: string) => Promise<Passkey> } = {}) {
  const passkeys = usePasskeys();
  const [renaming, setRenaming] = useState<Passkey | null>(null);
  const [removing, setRemoving] = useState<Passkey | null>(null);
  const remove = useRemovePasskey();
  const count = passkeys.data?.length ?? 0;
  const closeRemove = () => {
    setRemoving(null);
    remove.reset();
  };
  return (
    <SecurityCard
      title="Passkeys"
      description="Your fingerprint, face or screen lock, or a security key: confirms your log-ins and sensitive actions without a code."
      badge={
        passkeys.data ? (
          <Badge color={count > 0 ? 'green' : 'gray'} variant="light">
            {count > 0 ? `${count} registered` : 'None'}
          </Badge>
        ) : null
      }
    >
      {passkeys.isPending ? (
        <LoadingState label="Loading your passkeys…" />
      ) : passkeys.isError ? (
        <ErrorState error={passkeys.error} onRetry={() => void passkeys.refetch()} />
      ) : (
        <Stack>
          {count > 0 ? (
            <PasskeysTable passkeys={passkeys.data} onRename={setRenaming} onRemove={setRemoving} />
          ) : (
            <Text size="sm">No passkeys yet. Add one to log in with your device instead of typing a code.</Text>
          )}
          <AddPasskeyForm register={register} />
        </Stack>
      )}
      {renaming ? <RenameModal passkey={renaming} onClose={() => setRenaming(null)} /> : null}
      <ConfirmModal
        opened={removing !== null}
        title="Remove this passkey?"
        confirmLabel="Remove"
        danger
        pending={remove.isPending}
        error={remove.error}
        onClose={closeRemove}
        onConfirm={() =>
          removing &&
          remove.mutate(removing.id, {
            onSuccess: () => {
              notifications.show({ color: 'green', title: 'Passkey removed', message: `"${removing.name}" no longer signs you in.` });
              closeRemove();
            },
          })
        }
      >
        {removing ? `"${removing.name}" will no longer confirm your log-ins. If it is your only second factor, log-in asks for your password only.` : ''}
      </ConfirmModal>
    </SecurityCard>
  );
}
