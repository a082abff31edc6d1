import { Badge, Button, Code, Group, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ConfirmModal } from '../../../shared/components/ConfirmModal';
import { ErrorState, LoadingState } from '../../../shared/components/states';
import { formatDateTime, formatRelative } from '../../../shared/format/format';
import { countryLabel, deviceName, sessionMethodLabel } from '../api/session-format';
import { useEndOtherSessions, useEndSession, useSignedInSessions, type SignedInSession } from '../api/security.queries';
import { SecurityCard } from './TotpCard';

interface SessionsTableProps {
  sessions: SignedInSession[];
  onEnd: (session: SignedInSession) => void;
}

/** The person's signed-in sessions, this one first; every other one can be ended. */
export function SessionsTable({ sessions, onEnd }: SessionsTableProps) {
  const ordered = [...sessions].sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.localeCompare(a.lastSeenAt));
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing="xs" aria-label="Sessions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Device</Table.Th>
            <Table.Th>Network</Table.Th>
            <Table.Th>Country</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th>Last seen</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {ordered.map((s) => (
            <Table.Tr key={s.id} data-session-id={s.id}>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Text size="sm" title={s.device ?? undefined}>
                    {deviceName(s.device)}
                  </Text>
                  {s.current ? (
                    <Badge size="sm" variant="light" color="green">
                      This device
                    </Badge>
                  ) : null}
                </Group>
                <Text size="xs" c="dimmed">
                  {sessionMethodLabel(s.method)}
                </Text>
              </Table.Td>
              <Table.Td>{s.ipPrefix ? <Code>{s.ipPrefix}</Code> : '—'}</Table.Td>
              <Table.Td>{countryLabel(s.country)}</Table.Td>
              <Table.Td>{formatDateTime(s.createdAt)}</Table.Td>
              <Table.Td title={formatDateTime(s.lastSeenAt)}>{s.current ? 'Now' : formatRelative(s.lastSeenAt)}</Table.Td>
              <Table.Td>
                {s.current ? null : (
                  <Button size="xs" variant="subtle" color="red" onClick={() => onEnd(s)} aria-label={`End the session on ${deviceName(s.device)} started ${formatDateTime(s.createdAt)}`}>
                    End
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The Sessions part of the Security page: where the person is signed in, and ending those sessions. */
export function SessionsCard() {
  const sessions = useSignedInSessions();
  const end = useEndSession();
  const endOthers = useEndOtherSessions();
  const [ending, setEnding] = useState<SignedInSession | 'others' | null>(null);
  const others = sessions.data?.filter((s) => !s.current).length ?? 0;
  const close = () => {
    setEnding(null);
    end.reset();
    endOthers.reset();
  };

  return (
    <SecurityCard title="Sessions" description="Where you are signed in. Ending a session signs that browser out at once.">
      {sessions.isPending ? (
        <LoadingState label="Loading your sessions…" />
      ) : sessions.isError ? (
        <ErrorState error={sessions.error} onRetry={() => void sessions.refetch()} />
      ) : (
        <>
          <SessionsTable sessions={sessions.data} onEnd={setEnding} />
          <Group>
            <Button variant="default" color="red" disabled={others === 0} onClick={() => setEnding('others')}>
              Sign out everywhere else
            </Button>
          </Group>
        </>
      )}
      {ending === 'others' ? (
        <ConfirmModal
          opened
          title="Sign out everywhere else?"
          confirmLabel="Sign out everywhere else"
          danger
          pending={endOthers.isPending}
          error={endOthers.error}
          onClose={close}
          onConfirm={() =>
            endOthers.mutate(undefined, {
              onSuccess: () => {
                close();
                notifications.show({ color: 'green', title: 'Signed out elsewhere', message: 'Only this browser is still signed in.' });
              },
            })
          }
        >
          {others === 1 ? 'The other session ends' : `The ${others} other sessions end`} at once; this one stays.
        </ConfirmModal>
      ) : ending ? (
        <ConfirmModal
          opened
          title="End this session?"
          confirmLabel="End session"
          danger
          pending={end.isPending}
          error={end.error}
          onClose={close}
          onConfirm={() =>
            end.mutate(ending.id, {
              onSuccess: () => {
                close();
                notifications.show({ color: 'green', title: 'Session ended', message: `${deviceName(ending.device)} is signed out.` });
              },
            })
          }
        >
          {deviceName(ending.device)}, last seen {formatRelative(ending.lastSeenAt)}, is signed out at once.
        </ConfirmModal>
      ) : null}
    </SecurityCard>
  );
}
