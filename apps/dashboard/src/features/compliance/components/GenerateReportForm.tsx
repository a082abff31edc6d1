import { FRAMEWORK_NAMES, REPORT_FORMATS, type Framework } from '@custos/contracts';
import { Button, Group, Select } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { Period } from '../../../shared/period/day-period';
import { useRequestReport, type ReportFormat } from '../api/compliance.queries';

const FORMAT_LABELS: Readonly<Record<ReportFormat, string>> = { pdf: 'PDF', csv: 'CSV', json: 'JSON' };
const FORMAT_OPTIONS = REPORT_FORMATS.map((format) => ({ value: format, label: FORMAT_LABELS[format] }));
const isFormat = (value: string | null): value is ReportFormat => value !== null && (REPORT_FORMATS as readonly string[]).includes(value);

interface GenerateReportFormProps {
  framework: Framework;
  /** Null while the pickers hold no valid period. */
  period: Period | null;
}

/** Asks for a signed report of the framework and period on the page, in the chosen format. */
export function GenerateReportForm({ framework, period }: GenerateReportFormProps) {
  const [format, setFormat] = useState<ReportFormat>('pdf');
  const request = useRequestReport();
  return (
    <Group align="flex-end" gap="xs">
      <Select
        label="Format"
        data={FORMAT_OPTIONS}
        value={format}
        onChange={(value) => {
          if (isFormat(value)) setFormat(value);
        }}
        allowDeselect={false}
        w={110}
      />
      <Button
        disabled={period === null}
        loading={request.isPending}
        onClick={() => {
          if (!period) return;
          request.mutate(
            { framework, format, ...period },
            {
              onSuccess: () => notifications.show({ color: 'green', title: 'Report queued', message: `${FRAMEWORK_NAMES[framework]}, ${FORMAT_LABELS[format]}: it appears below when done.` }),
              onError: (error) => notifications.show({ color: 'red', title: 'Could not request the report', message: error.message }),
            },
          );
        }}
      >
        Generate report
      </Button>
    </Group>
  );
}
