import { Anchor, Code, Group, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { formatDateTime } from '../../../shared/format/format';
import { TokenStatusBadge } from '../../tokens/components/TokenStatusBadge';
import type { BoundToken } from '../api/consents.queries';

/** Every token ever bound to a consent, revoked ones included: what happened to them is the point. */
export function BoundTokensTable({ tokens, label }: { tokens: readonly BoundToken[]; label: string }) {
  if (tokens.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No token was ever bound to this consent.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing={4} aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Token</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Data categories</Table.Th>
            <Table.Th>Revoked</Table.Th>
            <Table.Th>Uses</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.map((t) => (
            <Table.Tr key={t.id} data-token-id={t.id}>
              <Table.Td>
                <Anchor component={Link} to={`/tokens/${t.id}`} size="sm">
                  {t.name}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {t.lookupId}
                </Text>
              </Table.Td>
              <Table.Td>
                <TokenStatusBadge status={t.status} />
              </Table.Td>
              <Table.Td>
                <Group gap={4}>{t.dataCategories.length === 0 ? <Text size="sm">all of the consent's</Text> : t.dataCategories.map((c) => <Code key={c}>{c}</Code>)}</Group>
              </Table.Td>
              <Table.Td>
                {t.revokedAt ? (
                  <>
                    <Text size="sm">{formatDateTime(t.revokedAt)}</Text>
                    {t.revokedReason ? (
                      <Text size="xs" c="dimmed" data-testid="revoked-reason">
                        {t.revokedReason}
                      </Text>
                    ) : null}
                  </>
                ) : (
                  '—'
                )}
              </Table.Td>
              <Table.Td>{t.useCount.toLocaleString()}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
