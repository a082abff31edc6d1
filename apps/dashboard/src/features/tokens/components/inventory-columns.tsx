import { Anchor, Code, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { formatDateTime, formatRelative } from '../../../shared/format/format';
import { tokenEnd } from '../api/token-end';
import type { Token } from '../api/tokens.queries';
import { TokenStatusBadge } from './TokenStatusBadge';

export interface InventoryColumn {
  key: string;
  label: string;
  /** Shown until the user chooses otherwise. */
  visibleByDefault: boolean;
  /** Short values that read badly when wrapped (badges, dates). */
  nowrap?: boolean;
  render(token: Token): ReactNode;
}

/** The name column is always shown: it is the link to the token. */
export const NAME_COLUMN: InventoryColumn = {
  key: 'name',
  label: 'Name',
  visibleByDefault: true,
  render: (t) => (
    <Anchor component={Link} to={`/tokens/${t.id}`} fw={500}>
      {t.name}
    </Anchor>
  ),
};

export const OPTIONAL_COLUMNS: InventoryColumn[] = [
  { key: 'status', nowrap: true, label: 'Status', visibleByDefault: true, render: (t) => <TokenStatusBadge status={t.status} /> },
  {
    key: 'hint',
    nowrap: true,
    label: 'Token',
    visibleByDefault: true,
    render: (t) => <Code>{t.hint}</Code>,
  },
  { key: 'environment', label: 'Environment', visibleByDefault: false, render: (t) => t.environment },
  {
    key: 'scopes',
    label: 'Scopes',
    visibleByDefault: true,
    render: (t) => (
      <Group gap={4}>
        {t.scopes.length === 0 ? <Text c="dimmed">none</Text> : t.scopes.map((s) => <Code key={s}>{s}</Code>)}
      </Group>
    ),
  },
  { key: 'service', label: 'Service', visibleByDefault: false, render: (t) => t.ownerServiceId ?? '—' },
  { key: 'createdAt', nowrap: true, label: 'Created', visibleByDefault: true, render: (t) => formatDateTime(t.createdAt) },
  {
    key: 'expiresAt',
    nowrap: true,
    label: 'Expires',
    visibleByDefault: true,
    render: (t) => {
      const end = tokenEnd(t);
      return <span title={formatDateTime(end.at)}>{end.label === 'Expires' ? formatRelative(end.at) : `${end.label.toLowerCase()} ${formatRelative(end.at)}`}</span>;
    },
  },
  {
    key: 'lastUsedAt',
    nowrap: true,
    label: 'Last used',
    visibleByDefault: true,
    render: (t) => (t.lastUsedAt ? <span title={formatDateTime(t.lastUsedAt)}>{formatRelative(t.lastUsedAt)}</span> : 'never'),
  },
  { key: 'useCount', label: 'Uses', visibleByDefault: false, render: (t) => t.useCount },
  { key: 'createdVia', label: 'Created via', visibleByDefault: false, render: (t) => t.createdVia },
];

export const DEFAULT_COLUMNS = OPTIONAL_COLUMNS.filter((c) => c.visibleByDefault).map((c) => c.key);
