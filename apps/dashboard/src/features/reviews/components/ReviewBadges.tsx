import { Badge } from '@mantine/core';
import { ITEM_STATUS_COLORS } from '../api/review-format';
import type { Campaign, ReviewItemStatus } from '../api/reviews.queries';

export function CampaignStatusBadge({ status }: { status: Campaign['status'] }) {
  return (
    <Badge color={status === 'open' ? 'blue' : 'gray'} variant="light" style={{ minWidth: 'max-content' }}>
      {status}
    </Badge>
  );
}

export function ItemStatusBadge({ status }: { status: ReviewItemStatus }) {
  return (
    <Badge color={ITEM_STATUS_COLORS[status]} variant="light" style={{ minWidth: 'max-content' }}>
      {status}
    </Badge>
  );
}
