import { Code, Group, Text } from '@mantine/core';
import { TokenLink } from '../../tokens/components/TokenLink';
import { subjectOf } from '../api/alert-format';
import type { Alert } from '../api/alerts.queries';

/**
 * What an alert is about: its token by name, linking to its page; for brute force the caller (a service
 * key, itself a token) or the network the failures came from.
 */
export function AlertSubject({ alert }: { alert: Pick<Alert, 'subject' | 'tokenId'> }) {
  const subject = subjectOf(alert.subject);
  switch (subject.kind) {
    case 'token':
      return <TokenLink id={alert.tokenId ?? subject.id} />;
    case 'caller':
      return (
        <Group gap={4} wrap="nowrap">
          <Text size="sm" c="dimmed" span>
            caller
          </Text>
          <TokenLink id={alert.tokenId ?? subject.id} />
        </Group>
      );
    case 'network':
      return (
        <Group gap={4} wrap="nowrap">
          <Text size="sm" c="dimmed" span>
            network
          </Text>
          <Code>{subject.id}</Code>
        </Group>
      );
    case 'other':
      return <Code>{subject.id}</Code>;
  }
}
