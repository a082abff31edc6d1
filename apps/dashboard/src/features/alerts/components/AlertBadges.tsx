import { Badge } from '@mantine/core';
import { SEVERITY_COLORS, STATUS_COLORS } from '../api/alert-format';
import type { AlertSeverity, AlertStatus } from '../api/alerts.queries';

// Never squeezed into an ellipsis by a narrow table column.
const WHOLE = { minWidth: 'max-content' } as const;

export function AlertSeverityBadge({ severity }: { severity: AlertSeverity }) {
  return (
    <Badge color={SEVERITY_COLORS[severity]} variant={severity === 'critical' ? 'filled' : 'light'} style={WHOLE} data-severity={severity}>
      {severity}
    </Badge>
  );
}

export function AlertStatusBadge({ status }: { status: AlertStatus }) {
  return (
    <Badge color={STATUS_COLORS[status]} variant="outline" style={WHOLE} data-status={status}>
      {status}
    </Badge>
  );
}
