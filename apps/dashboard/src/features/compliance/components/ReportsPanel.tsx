import type { Framework } from '@custos/contracts';
import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCan } from '../../../shared/auth/permissions';
import { EmptyState, ErrorState, LoadingState } from '../../../shared/components/states';
import type { Period } from '../../../shared/period/day-period';
import { useReportDownload, useReports } from '../api/compliance.queries';
import { GenerateReportForm } from './GenerateReportForm';
import { ReportTable } from './ReportTable';
import { LoadMore } from '../../../shared/components/LoadMore';

interface ReportsPanelProps {
  framework: Framework;
  period: Period | null;
}

/** Reports the worker generated (or is generating) for this tenant, and a way to ask for another. */
export function ReportsPanel({ framework, period }: ReportsPanelProps) {
  const can = useCan();
  const reports = useReports();
  const download = useReportDownload();
  const items = reports.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" wrap="wrap">
          <Stack gap={2}>
            <Title order={2} size="h4">
              Generated reports
            </Title>
            <Text size="xs" c="dimmed">
              Signed by the tenant&apos;s key: the download carries a detached JWS over the file&apos;s SHA-256.
            </Text>
          </Stack>
          {can('custos:reports:write') ? <GenerateReportForm framework={framework} period={period} /> : null}
        </Group>
        {reports.isPending ? (
          <LoadingState label="Loading reports…" />
        ) : reports.isError && items.length === 0 ? (
          <ErrorState error={reports.error} onRetry={() => void reports.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState title="No reports yet">
            {can('custos:reports:write') ? 'Generate one for the framework and period above.' : 'An owner, admin or auditor can generate one.'}
          </EmptyState>
        ) : (
          <>
            <ReportTable
              reports={items}
              downloadingId={download.isPending ? (download.variables?.id ?? null) : null}
              onDownload={(report) =>
                download.mutate(report, { onError: (error) => notifications.show({ color: 'red', title: 'Download failed', message: error.message }) })
              }
            />
            <LoadMore pages={reports} />
          </>
        )}
      </Stack>
    </Paper>
  );
}
