import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { formatDate, formatDateTime, formatRelative } from '../../../shared/format/format';
import { isPastDue, scopeSummary } from '../api/review-format';
import type { Campaign } from '../api/reviews.queries';
import { CampaignProgressBar } from './CampaignProgressBar';
import { CampaignStatusBadge } from './ReviewBadges';

const NOWRAP = { whiteSpace: 'nowrap' } as const;

export const campaignPath = (id: string) => `/reviews/campaigns/${encodeURIComponent(id)}`;

/** Campaigns newest first, each with how far its reviewers got. */
export function CampaignTable({ campaigns, serviceName }: { campaigns: readonly Campaign[]; serviceName: (id: string) => string }) {
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table verticalSpacing="sm" aria-label="Campaigns">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Campaign</Table.Th>
            <Table.Th>Reviews</Table.Th>
            <Table.Th>Due</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Progress</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {campaigns.map((campaign) => (
            <Table.Tr key={campaign.id} data-campaign-id={campaign.id} data-status={campaign.status}>
              <Table.Td miw={180}>
                <Anchor component={Link} to={campaignPath(campaign.id)} size="sm">
                  {campaign.name}
                </Anchor>
                <Text size="xs" c="dimmed">
                  opened {formatDate(campaign.createdAt)}
                  {campaign.scheduledFor ? ' on schedule' : ''}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{scopeSummary(campaign.scope, serviceName)}</Text>
              </Table.Td>
              <Table.Td style={NOWRAP} title={formatDateTime(campaign.dueAt)}>
                <Text size="sm" c={campaign.status === 'open' && isPastDue(campaign.dueAt) ? 'red' : undefined}>
                  {formatDate(campaign.dueAt)}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatRelative(campaign.dueAt)}
                </Text>
              </Table.Td>
              <Table.Td>
                <CampaignStatusBadge status={campaign.status} />
              </Table.Td>
              <Table.Td>
                <CampaignProgressBar progress={campaign.progress} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
