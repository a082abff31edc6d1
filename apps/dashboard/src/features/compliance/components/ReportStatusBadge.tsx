import { Badge } from '@mantine/core';
import type { ReportStatus } from '../api/compliance.queries';

const COLORS: Readonly<Record<ReportStatus, string>> = {
  queued: 'gray',
  running: 'blue',
  done: 'green',
  failed: 'red',
};

export function ReportStatusBadge({ status }: { status: ReportStatus }) {
  return (
    <Badge color={COLORS[status]} variant="light" style={{ minWidth: 'max-content' }}>
      {status}
    </Badge>
  );
}
