import { Badge } from '@mantine/core';
import type { TokenStatus } from '../api/tokens.queries';

const COLORS: Record<TokenStatus, string> = {
  active: 'green',
  rotating: 'blue',
  suspended: 'yellow',
  revoked: 'red',
  expired: 'gray',
};

export function TokenStatusBadge({ status }: { status: TokenStatus }) {
  return (
    // Never squeezed into an ellipsis by a narrow table column.
    <Badge color={COLORS[status]} variant="light" style={{ minWidth: 'max-content' }}>
      {status}
    </Badge>
  );
}
