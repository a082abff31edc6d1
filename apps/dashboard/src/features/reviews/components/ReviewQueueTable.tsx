import { Anchor, Checkbox, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { formatCountry, formatDate, formatDateTime, formatRelative } from '../../../shared/format/format';
import { isPastDue } from '../api/review-format';
import type { Decision, ReviewItem } from '../api/reviews.queries';
import { ScopeUse } from './ScopeUse';
import { DecisionButtons } from './DecisionButtons';

const NOWRAP = { whiteSpace: 'nowrap' } as const;

interface ReviewQueueTableProps {
  items: readonly ReviewItem[];
  selected: ReadonlySet<string>;
  onSelect: (ids: string[], selected: boolean) => void;
  onDecide: (item: ReviewItem, decision: Decision) => void;
}

/** The caller's pending items: each token with what it may do and what it did (last use, from which countries), and the three decisions. */
export function ReviewQueueTable({ items, selected, onSelect, onDecide }: ReviewQueueTableProps) {
  const all = items.length > 0 && items.every((i) => selected.has(i.id));
  const some = items.some((i) => selected.has(i.id));
  return (
    <Table.ScrollContainer minWidth={940}>
      <Table verticalSpacing="sm" aria-label="Review items">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={36}>
              <Checkbox
                aria-label="Select all"
                checked={all}
                indeterminate={some && !all}
                onChange={(event) => onSelect(items.map((i) => i.id), event.currentTarget.checked)}
              />
            </Table.Th>
            <Table.Th>Token</Table.Th>
            <Table.Th>Campaign</Table.Th>
            <Table.Th>Scopes</Table.Th>
            <Table.Th>Last use</Table.Th>
            <Table.Th>Decision</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={item.id} data-item-id={item.id} data-token-id={item.tokenId}>
              <Table.Td>
                <Checkbox aria-label={`Select ${item.tokenName}`} checked={selected.has(item.id)} onChange={(event) => onSelect([item.id], event.currentTarget.checked)} />
              </Table.Td>
              <Table.Td miw={140}>
                <Anchor component={Link} to={`/tokens/${encodeURIComponent(item.tokenId)}`} size="sm" title={`token ${item.tokenId}`}>
                  {item.tokenName}
                </Anchor>
                {item.tokenStatus && item.tokenStatus !== 'active' ? (
                  <Text size="xs" c="dimmed">
                    {item.tokenStatus}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td miw={140}>
                <Anchor component={Link} to={`/reviews/campaigns/${encodeURIComponent(item.campaignId)}`} size="sm">
                  {item.campaignName}
                </Anchor>
                <Text size="xs" c={isPastDue(item.dueAt) ? 'red' : 'dimmed'} title={formatDateTime(item.dueAt)} style={NOWRAP}>
                  due {formatDate(item.dueAt)} ({formatRelative(item.dueAt)})
                </Text>
              </Table.Td>
              {/* Wide enough for a scope and its "unused 90 days" mark on one badge. */}
              <Table.Td miw={250} maw={400}>
                <ScopeUse item={item} />
              </Table.Td>
              <Table.Td miw={130} title={item.lastUsedAt ? formatDateTime(item.lastUsedAt) : undefined}>
                <Text size="sm" c={item.lastUsedAt ? undefined : 'dimmed'} style={NOWRAP}>
                  {item.lastUsedAt ? formatRelative(item.lastUsedAt) : 'never'}
                </Text>
                {item.countries.length > 0 ? (
                  <Text size="xs" c="dimmed">
                    from {item.countries.map(formatCountry).join(', ')}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                <DecisionButtons item={item} onDecide={onDecide} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
