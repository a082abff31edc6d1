import { Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useReportDownload } from '../../compliance/api/compliance.queries';
import { ReportStatusBadge } from '../../compliance/components/ReportStatusBadge';
import { useCampaignReports } from '../api/reviews.queries';

/** The formats a closed campaign's report comes in, in the order offered. */
const FORMATS = ['json', 'csv', 'pdf'] as const;

/**
 * A closed campaign's signed report in each format: a download once the worker has made it, its status
 * until then (read again every few seconds).
 */
export function CampaignReports({ reportIds }: { reportIds: Readonly<Record<string, string>> }) {
  const formats = FORMATS.filter((f) => reportIds[f] !== undefined);
  const reports = useCampaignReports(formats.map((f) => reportIds[f]!));
  const download = useReportDownload();

  return (
    <Stack gap="xs" role="group" aria-label="Reports">
      <Text size="xs" c="dimmed">
        Signed by the tenant&apos;s key like compliance reports; also listed under Compliance.
      </Text>
      <Group gap="sm">
        {formats.map((format, i) => {
          const report = reports[i]?.data;
          const label = format.toUpperCase();
          if (!report || report.status !== 'done') {
            return (
              <Group key={format} gap={6} data-report-format={format} data-status={report?.status ?? 'loading'}>
                <Text size="sm">{label}</Text>
                {report ? <ReportStatusBadge status={report.status} /> : null}
              </Group>
            );
          }
          return (
            <Button
              key={format}
              size="xs"
              variant="default"
              data-report-format={format}
              data-status="done"
              loading={download.isPending && download.variables?.id === report.id}
              onClick={() =>
                download.mutate(report, { onError: (error) => notifications.show({ color: 'red', title: 'Download failed', message: error.message }) })
              }
            >
              Download {label}
            </Button>
          );
        })}
      </Group>
    </Stack>
  );
}
