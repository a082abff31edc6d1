import { Anchor, Badge, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '../../../shared/components/states';
import { formatCount, formatCountry, formatDateTime } from '../../../shared/format/format';
import { outcomeColor } from '../api/usage-chart';
import { useCrossBorder, useCrossBorderExport, type CrossBorderFormat, type CrossBorderParams, type CrossBorderTransfer } from '../api/usage.queries';
import { WHOLE_LABEL } from './OutcomeBadge';
import { UsesTitle } from './UsesTitle';

const NOWRAP = { whiteSpace: 'nowrap' } as const;
const TITLE = 'Cross-border transfers';

/**
 * The uses of each token from outside its residency region over the page's period and filters, per
 * destination country (GDPR Chapter V asks for a record of them), with the API's own CSV and JSON export.
 */
export function CrossBorderPanel({ params }: { params: CrossBorderParams }) {
  const transfers = useCrossBorder(params);
  const total = transfers.data?.items.reduce((sum, t) => sum + t.count, 0);
  return (
    <Paper withBorder p="md" radius="md" role="region" aria-label={TITLE}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" wrap="wrap">
          <Stack gap={2}>
            <UsesTitle title={TITLE} total={total} />
            <Text size="xs" c="dimmed">
              Uses from a country outside the token’s residency region, whatever its geo mode: let through (VALID) or refused by an enforced geofence
              (GEO_BLOCKED).
            </Text>
          </Stack>
          <ExportButtons params={params} />
        </Group>
        {transfers.isPending ? (
          <LoadingState label="Counting transfers…" />
        ) : transfers.isError ? (
          <ErrorState error={transfers.error} onRetry={() => void transfers.refetch()} />
        ) : transfers.data.items.length === 0 ? (
          <EmptyState title="No cross-border transfers in this period">
            No token was used from outside its residency region. Tokens without a residency region have none.
          </EmptyState>
        ) : (
          <CrossBorderTable transfers={transfers.data.items} />
        )}
      </Stack>
    </Paper>
  );
}

const FORMATS: ReadonlyArray<{ format: CrossBorderFormat; label: string }> = [
  { format: 'csv', label: 'Export CSV' },
  { format: 'json', label: 'Export JSON' },
];

/** The same transfers as the API's attachment, saved under the name it gives (`custos-cross-border-<from>-<to>.csv`). */
function ExportButtons({ params }: { params: CrossBorderParams }) {
  const exporter = useCrossBorderExport();
  const exporting = exporter.isPending ? exporter.variables.format : null;
  return (
    <Group gap="xs">
      {FORMATS.map(({ format, label }) => (
        <Button
          key={format}
          variant="default"
          size="xs"
          loading={exporting === format}
          disabled={exporting !== null && exporting !== format}
          onClick={() => exporter.mutate({ params, format }, { onError: (error) => notifications.show({ color: 'red', title: 'Export failed', message: error.message }) })}
        >
          {label}
        </Button>
      ))}
    </Group>
  );
}

/** One row per token and destination: region → country, how often, how each use was answered, first and last. */
export function CrossBorderTable({ transfers }: { transfers: readonly CrossBorderTransfer[] }) {
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table striped verticalSpacing="xs" aria-label={TITLE}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Token</Table.Th>
            <Table.Th>Transfer</Table.Th>
            <Table.Th ta="right">Uses</Table.Th>
            <Table.Th>By outcome</Table.Th>
            <Table.Th>First</Table.Th>
            <Table.Th>Last</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {transfers.map((t) => (
            <Table.Tr key={`${t.tokenId}:${t.toCountry}`} data-token={t.tokenId} data-country={t.toCountry}>
              <Table.Td miw={150}>
                <Anchor component={Link} to={`/tokens/${encodeURIComponent(t.tokenId)}`} size="sm" title={`token ${t.tokenId}`}>
                  {t.tokenName}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm" span style={NOWRAP} c={t.fromRegion ? undefined : 'dimmed'} title={t.fromRegion ? 'Its residency region' : 'It has no residency region any longer'}>
                  {t.fromRegion ?? 'none now'}
                </Text>
                <Text size="sm" span>
                  {' → '}
                  {formatCountry(t.toCountry)}
                </Text>
                {t.toRegion ? (
                  <Text size="xs" c="dimmed" span style={NOWRAP}>
                    {' · '}
                    {t.toRegion}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td ta="right">{formatCount(t.count)}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {Object.entries(t.byOutcome).map(([outcome, n]) => (
                    <Badge key={outcome} color={outcomeColor(outcome)} variant="light" radius="sm" size="sm" tt="none" styles={WHOLE_LABEL}>
                      {outcome} {formatCount(n)}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td style={NOWRAP}>{formatDateTime(t.firstAt)}</Table.Td>
              <Table.Td style={NOWRAP}>{formatDateTime(t.lastAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
