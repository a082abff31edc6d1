import { Badge } from '@mantine/core';
import type { ControlStatus } from '../api/compliance.queries';

export const CONTROL_STATUS_COLORS: Readonly<Record<ControlStatus, string>> = {
  pass: 'green',
  warn: 'yellow',
  fail: 'red',
};

export function ControlStatusBadge({ status }: { status: ControlStatus }) {
  return (
    <Badge color={CONTROL_STATUS_COLORS[status]} variant="light" style={{ minWidth: 'max-content' }} data-status={status}>
      {status}
    </Badge>
  );
}
