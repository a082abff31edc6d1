import { Code, SimpleGrid, Stack, Text } from '@mantine/core';
import { useCan } from '../../../shared/auth/permissions';
import { Fact } from '../../../shared/components/Fact';
import { formatDateTime } from '../../../shared/format/format';
import { useSession } from '../../session/api/session.queries';
import { TokenLink } from '../../tokens/components/TokenLink';
import { useUsers } from '../../users/api/users.queries';
import type { Alert, AlertStatusChange } from '../api/alerts.queries';

/**
 * Who changed the alert's status. The API gives the id only (a user, or a service key): a person reads
 * as their e-mail where the users list has them, a service key links to its page, anything else shows
 * its id.
 */
function ChangedBy({ id }: { id: string | null }) {
  const session = useSession();
  const can = useCan();
  const isUser = id?.startsWith('usr_') ?? false;
  const users = useUsers(isUser && id !== session.user.id && can('custos:users:read'));
  if (id === null) return <>—</>;
  if (id.startsWith('tok_')) return <TokenLink id={id} />;
  const email = id === session.user.id ? session.user.email : users.data?.find((u) => u.id === id)?.email;
  return email ? (
    <Text span inherit title={`user ${id}`} data-actor-id={id}>
      {email}
    </Text>
  ) : (
    <Code>{id}</Code>
  );
}

function Change({ title, change }: { title: string; change: AlertStatusChange }) {
  return (
    <Stack gap={4} role="group" aria-label={title}>
      <Text fw={600} size="sm">
        {title}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Fact label="By">
          <ChangedBy id={change.by} />
        </Fact>
        <Fact label="At">{formatDateTime(change.at)}</Fact>
        <Fact label="Comment">{change.comment ?? '—'}</Fact>
      </SimpleGrid>
    </Stack>
  );
}

/** Who acknowledged and who resolved the alert, when, and what they said. */
export function AlertHandling({ alert }: { alert: Pick<Alert, 'acknowledged' | 'resolved'> }) {
  if (!alert.acknowledged && !alert.resolved) {
    return (
      <Text size="sm" c="dimmed">
        Nobody has acknowledged it yet.
      </Text>
    );
  }
  return (
    <Stack gap="md">
      {alert.acknowledged ? <Change title="Acknowledged" change={alert.acknowledged} /> : null}
      {alert.resolved ? <Change title="Resolved" change={alert.resolved} /> : null}
    </Stack>
  );
}
