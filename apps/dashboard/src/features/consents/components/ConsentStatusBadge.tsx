import { Badge } from '@mantine/core';
import type { ConsentStatus } from '../api/consents.queries';
import { STATUS_COLORS } from '../api/timeline';

export function ConsentStatusBadge({ status }: { status: ConsentStatus }) {
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" style={{ minWidth: 'max-content' }}>
      {status}
    </Badge>
  );
}
