import { Anchor, Badge, Code, Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { formatCountry, formatDateTime, formatRelative } from '../../../shared/format/format';
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
  /** Pixels a wrapping column keeps however many columns are shown (a name squeezed to a word a line reads badly). */
  minWidth?: number;
  render(token: Token): ReactNode;
}

/** The name column is always shown: it is the link to the token. */
export const NAME_COLUMN: InventoryColumn = {
  key: 'name',
  label: 'Name',
  visibleByDefault: true,
  minWidth: 140,
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
    // Where from under when, and a badge for a token used across its border: no wider than the time itself.
    render: (t) =>
      t.lastUsedAt ? (
        <Stack gap={2} align="flex-start">
          <span title={formatDateTime(t.lastUsedAt)}>{formatRelative(t.lastUsedAt)}</span>
          {t.lastUsedCountry ? (
            <Text size="xs" c="dimmed" title={formatCountry(t.lastUsedCountry)}>
              from {t.lastUsedCountry}
            </Text>
          ) : null}
          {t.lastCrossBorderAt ? (
            <Badge color="orange" variant="light" radius="sm" size="xs" tt="none" title={`Last used from outside its residency region ${formatDateTime(t.lastCrossBorderAt)}`}>
              cross-border
            </Badge>
          ) : null}
        </Stack>
      ) : (
        'never'
      ),
  },
  { key: 'regionsSeen', label: 'Regions seen', visibleByDefault: false, render: (t) => (t.regionsSeen.length > 0 ? t.regionsSeen.join(', ') : '—') },
  {
    key: 'lastCrossBorderAt',
    nowrap: true,
    label: 'Last cross-border',
    visibleByDefault: false,
    render: (t) => (t.lastCrossBorderAt ? <span title={formatDateTime(t.lastCrossBorderAt)}>{formatRelative(t.lastCrossBorderAt)}</span> : '—'),
  },
  { key: 'useCount', label: 'Uses', visibleByDefault: false, render: (t) => t.useCount },
  { key: 'createdVia', label: 'Created via', visibleByDefault: false, render: (t) => t.createdVia },
];

export const DEFAULT_COLUMNS = OPTIONAL_COLUMNS.filter((c) => c.visibleByDefault).map((c) => c.key);
