import { Anchor, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link } from 'react-router';
import { ApiError } from '../../../shared/api/http';
import { EmptyState, ErrorState, LoadingState } from '../../../shared/components/states';
import { formatDateTime } from '../../../shared/format/format';
import type { ConsentDetail } from '../../consents/api/consents.queries';
import { BoundTokensTable } from '../../consents/components/BoundTokensTable';
import { ConsentFacts } from '../../consents/components/ConsentFacts';
import { ConsentStatusBadge } from '../../consents/components/ConsentStatusBadge';
import { ConsentVersionsTable } from '../../consents/components/ConsentVersionsTable';
import { StatCard } from '../../overview/components/StatCard';
import { useSubjectExport, useSubjectReport, type SubjectReport } from '../api/subjects.queries';

export function SubjectReportView({ subjectRef }: { subjectRef: string }) {
  const report = useSubjectReport(subjectRef);
  if (report.isPending) return <LoadingState label="Loading the subject…" />;
  if (report.isError) {
    if (report.error instanceof ApiError && report.error.status === 404) return <NoConsents subjectRef={subjectRef} />;
    return <ErrorState error={report.error} onRetry={() => void report.refetch()} />;
  }
  if (report.data.consents.length === 0) return <NoConsents subjectRef={subjectRef} />;
  return <SubjectReportDetails report={report.data} />;
}

function NoConsents({ subjectRef }: { subjectRef: string }) {
  return <EmptyState title={`No consents recorded for ${subjectRef}`}>References are matched exactly, including upper and lower case.</EmptyState>;
}

function SubjectReportDetails({ report }: { report: SubjectReport }) {
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={2} size="h3">
            {report.subjectRef}
          </Title>
          <Text size="xs" c="dimmed">
            Report generated {formatDateTime(report.generatedAt)}
          </Text>
        </Stack>
        <ExportButton subjectRef={report.subjectRef} />
      </Group>
      <SimpleGrid cols={{ base: 1, xs: 3 }}>
        <StatCard label="Consents" value={report.totals.consents} />
        <StatCard label="Tokens" value={report.totals.tokens} hint="ever bound to these consents" />
        <StatCard label="Uses" value={report.totals.uses} hint="verifications of those tokens" />
      </SimpleGrid>
      {report.consents.map((consent) => (
        <SubjectConsent key={consent.id} consent={consent} />
      ))}
    </Stack>
  );
}

function ExportButton({ subjectRef }: { subjectRef: string }) {
  const exporter = useSubjectExport(subjectRef);
  return (
    <Button
      variant="default"
      loading={exporter.isPending}
      onClick={() =>
        exporter.mutate(undefined, {
          onError: (error) => notifications.show({ color: 'red', title: 'Export failed', message: error.message }),
        })
      }
    >
      Export (JSON)
    </Button>
  );
}

function SubjectConsent({ consent }: { consent: ConsentDetail }) {
  return (
    <Paper withBorder p="md" radius="md" data-consent-id={consent.id}>
      <Stack gap="md">
        <Group justify="space-between">
          <Group gap="xs">
            <Title order={3} size="h5">
              {consent.purpose}
            </Title>
            <ConsentStatusBadge status={consent.status} />
          </Group>
          <Anchor component={Link} to={`/consents?subjectRef=${encodeURIComponent(consent.subjectRef)}&consent=${encodeURIComponent(consent.id)}`} size="sm">
            On the timeline
          </Anchor>
        </Group>
        <ConsentFacts consent={consent} linkSubject={false} />
        <ConsentVersionsTable versions={consent.versions} label={`Versions of ${consent.id}`} />
        <BoundTokensTable tokens={consent.tokens} label={`Tokens bound to ${consent.id}`} />
      </Stack>
    </Paper>
  );
}
