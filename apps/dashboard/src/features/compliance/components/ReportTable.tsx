import { FRAMEWORK_NAMES } from '@custos/contracts';
import { Button, Table, Text } from '@mantine/core';
import { ActorName } from '../../../shared/components/ActorName';
import { formatDate, formatDateTime } from '../../../shared/format/format';
import { lastDayOf } from '../../../shared/period/day-period';
import type { Report } from '../api/compliance.queries';
import { ReportStatusBadge } from './ReportStatusBadge';

interface ReportTableProps {
  reports: readonly Report[];
  onDownload: (report: Report) => void;
  downloadingId: string | null;
}

/** Generated reports, newest first; only a finished one has a file to download. */
export function ReportTable({ reports, onDownload, downloadingId }: ReportTableProps) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="xs" aria-label="Reports">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Requested</Table.Th>
            <Table.Th>Framework</Table.Th>
            <Table.Th>Period</Table.Th>
            <Table.Th>Format</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Result</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {reports.map((report) => (
            <Table.Tr key={report.id} data-report-id={report.id} data-status={report.status}>
              <Table.Td>
                <Text size="sm">{formatDateTime(report.requestedAt)}</Text>
                <Text size="xs" c="dimmed">
                  by <ActorName id={report.requestedBy} actor={report.requestedByActor} />
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{report.framework === null ? 'Access review' : FRAMEWORK_NAMES[report.framework]}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {formatDate(report.from)} – {formatDate(lastDayOf(report.to))}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{report.format.toUpperCase()}</Text>
              </Table.Td>
              <Table.Td>
                <ReportStatusBadge status={report.status} />
              </Table.Td>
              <Table.Td>
                <ReportResult report={report} />
              </Table.Td>
              <Table.Td ta="right">
                {report.status === 'done' ? (
                  <Button size="xs" variant="default" loading={downloadingId === report.id} onClick={() => onDownload(report)}>
                    Download
                  </Button>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ReportResult({ report }: { report: Report }) {
  if (report.status === 'failed') {
    return (
      <Text size="sm" c="red">
        {report.error ?? 'Generation failed'}
      </Text>
    );
  }
  if (report.status !== 'done' || !report.summary) {
    return (
      <Text size="sm" c="dimmed">
        {report.status === 'queued' ? 'Waiting for the worker' : 'Being generated'}
      </Text>
    );
  }
  const { pass, warn, fail } = report.summary;
  return (
    <Text size="sm">
      {pass} pass · {warn} warn · {fail} fail
    </Text>
  );
}
