import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { downloadCsv, EXPORT_MAX_ROWS, fetchForExport, toCsv } from '../api/export-csv';
import type { InventoryParams } from '../api/tokens.queries';

/** Downloads the tokens matching the current filters, in the current order, as CSV. */
export function ExportCsvButton({ params }: { params: InventoryParams }) {
  const exporter = useMutation({
    mutationFn: () => fetchForExport(params),
    onSuccess: ({ tokens, truncated }) => {
      downloadCsv(`custos-tokens-${new Date().toISOString().slice(0, 10)}.csv`, toCsv(tokens));
      if (truncated) {
        notifications.show({
          color: 'yellow',
          title: 'Export truncated',
          message: `Only the first ${EXPORT_MAX_ROWS.toLocaleString()} tokens were exported; narrow the filters for the rest.`,
        });
      }
    },
    onError: (error) => notifications.show({ color: 'red', title: 'Export failed', message: error.message }),
  });
  return (
    <Button variant="default" loading={exporter.isPending} onClick={() => exporter.mutate()}>
      Export CSV
    </Button>
  );
}
