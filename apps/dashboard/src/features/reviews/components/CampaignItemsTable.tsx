import { Anchor, Code, Group, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { formatDateTime } from '../../../shared/format/format';
import { DECISION_LABELS } from '../api/review-format';
import type { Decision, ReviewItem } from '../api/reviews.queries';
import { DecisionButtons } from './DecisionButtons';
import { ItemStatusBadge } from './ReviewBadges';

const NOWRAP = { whiteSpace: 'nowrap' } as const;

export interface CampaignItemsTableProps {
  items: readonly ReviewItem[];
  label: string;
  /** The reviewer of an item as people read it: an e-mail, or "any owner or admin". */
  reviewerName: (item: ReviewItem) => string;
  /** When the viewer may decide some items: which, and what deciding does. */
  decide?: { may: (item: ReviewItem) => boolean; onDecide: (item: ReviewItem, decision: Decision) => void } | undefined;
}

/** A campaign's items: the token, who reviews it, and what was decided and done. */
export function CampaignItemsTable({ items, label, reviewerName, decide }: CampaignItemsTableProps) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table verticalSpacing="xs" aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Token</Table.Th>
            <Table.Th>Reviewer</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Decision</Table.Th>
            <Table.Th>Effect</Table.Th>
            <Table.Th>Comment</Table.Th>
            <Table.Th>Decided</Table.Th>
            {decide ? <Table.Th aria-label="Decide" /> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={item.id} data-item-id={item.id} data-status={item.status}>
              <Table.Td miw={140}>
                <Anchor component={Link} to={`/tokens/${encodeURIComponent(item.tokenId)}`} size="sm" title={`token ${item.tokenId}`}>
                  {item.tokenName}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{reviewerName(item)}</Text>
              </Table.Td>
              <Table.Td>
                <ItemStatusBadge status={item.status} />
              </Table.Td>
              <Table.Td>
                {item.decision ? (
                  <Group gap={4}>
                    <Text size="sm">{DECISION_LABELS[item.decision]}</Text>
                    {item.decision === 'narrow' && item.decidedScopes
                      ? item.decidedScopes.map((s) => (
                          <Code key={s} fz="xs">
                            {s}
                          </Code>
                        ))
                      : null}
                  </Group>
                ) : (
                  <Text size="sm" c="dimmed">
                    —
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm" c={item.effect ? undefined : 'dimmed'}>
                  {item.effect ?? '—'}
                </Text>
              </Table.Td>
              <Table.Td maw={260}>
                <Text size="sm" c={item.comment ? undefined : 'dimmed'} lineClamp={3} title={item.comment ?? undefined}>
                  {item.comment ?? '—'}
                </Text>
              </Table.Td>
              <Table.Td style={NOWRAP}>
                <Text size="sm">{formatDateTime(item.decidedAt)}</Text>
              </Table.Td>
              {decide ? <Table.Td>{decide.may(item) ? <DecisionButtons item={item} onDecide={decide.onDecide} /> : null}</Table.Td> : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
