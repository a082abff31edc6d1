import { Box, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { EmptyState, ErrorState, LoadingState } from '../../../shared/components/states';
import { formatDate } from '../../../shared/format/format';
import { lastDayOf } from '../../../shared/period/day-period';
import { useControlTable, type ControlTableParams } from '../api/compliance.queries';
import { ControlDrawer } from './ControlDrawer';
import { ControlSummaryBadges } from './ControlSummaryBadges';
import { ControlTable } from './ControlTable';

interface ControlsPanelProps {
  params: ControlTableParams;
  openControlId: string | null;
  onOpen: (controlId: string | null) => void;
}

/** The framework's controls as they hold now, for the chosen period, with the one picked in a drawer. */
export function ControlsPanel({ params, openControlId, onOpen }: ControlsPanelProps) {
  const table = useControlTable(params);
  const controls = table.data?.items ?? [];
  const open = controls.find((c) => c.id === openControlId) ?? null;

  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" wrap="wrap">
          <Stack gap={2}>
            <Title order={2} size="h4">
              Controls
            </Title>
            <Text size="xs" c="dimmed">
              Token state as of now; events from {formatDate(params.from)} to {formatDate(lastDayOf(params.to))}.
            </Text>
          </Stack>
          {table.data ? <ControlSummaryBadges summary={table.data.summary} /> : null}
        </Group>
        {table.isPending ? (
          <LoadingState label="Evaluating controls…" />
        ) : table.isError && controls.length === 0 ? (
          <ErrorState error={table.error} onRetry={() => void table.refetch()} />
        ) : controls.length === 0 ? (
          <EmptyState title="No controls map to this framework" />
        ) : (
          // Dimmed while the rows shown are the previous choice's, kept on screen until the new ones arrive.
          <Box aria-busy={table.isPlaceholderData} style={{ opacity: table.isPlaceholderData ? 0.5 : 1 }}>
            <ControlTable controls={controls} framework={table.data?.framework ?? params.framework} onOpen={(control) => onOpen(control.id)} />
          </Box>
        )}
      </Stack>
      <ControlDrawer control={open} framework={params.framework} onClose={() => onOpen(null)} />
    </Paper>
  );
}
