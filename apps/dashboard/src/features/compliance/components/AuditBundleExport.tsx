import { Button, Code, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Period } from '../../../shared/period/day-period';
import { useAuditBundleExport } from '../api/compliance.queries';

/** The period's audit trail as the bundle an auditor verifies without trusting the server. */
export function AuditBundleExport({ period }: { period: Period | null }) {
  const exporter = useAuditBundleExport();
  return (
    <Paper withBorder p="md" radius="md">
      <Group justify="space-between" align="center" wrap="wrap">
        <Stack gap={4} maw={640}>
          <Title order={2} size="h4">
            Audit trail
          </Title>
          <Text size="sm">
            The period&apos;s audit events with their place in the hash chain, the checkpoints signed over them and the tenant&apos;s public keys, as
            JSON lines. Verify it offline with <Code>custos audit verify &lt;file&gt;</Code>.
          </Text>
        </Stack>
        <Button
          variant="default"
          disabled={period === null}
          loading={exporter.isPending}
          onClick={() => {
            if (!period) return;
            exporter.mutate(period, { onError: (error) => notifications.show({ color: 'red', title: 'Export failed', message: error.message }) });
          }}
        >
          Export audit bundle
        </Button>
      </Group>
    </Paper>
  );
}
