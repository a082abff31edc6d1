import { FRAMEWORK_NAMES, FRAMEWORKS, type Framework } from '@custos/contracts';
import { SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { DetailDrawer, DetailHeading, DetailSection as Section } from '../../../shared/components/DetailDrawer';
import { Fact } from '../../../shared/components/Fact';
import { formatValue, metricLabel } from '../api/control-format';
import type { ControlOutcome } from '../api/compliance.queries';
import { ClauseList } from './ClauseList';
import { ControlStatusBadge } from './ControlStatusBadge';
import { EvidenceTable } from './EvidenceTable';

interface ControlDrawerProps {
  control: ControlOutcome | null;
  framework: Framework;
  onClose: () => void;
}

/** The control picked in the table: what it checks, what it measured and the rows behind its verdict. */
export function ControlDrawer({ control, framework, onClose }: ControlDrawerProps) {
  return (
    <DetailDrawer opened={control !== null} onClose={onClose} title={control?.title ?? 'Control'}>
      {control ? <ControlDetailView control={control} framework={framework} /> : null}
    </DetailDrawer>
  );
}

function ControlDetailView({ control, framework }: { control: ControlOutcome; framework: Framework }) {
  return (
    <Stack gap="lg" data-control-detail={control.id}>
      <DetailHeading status={<ControlStatusBadge status={control.status} />} id={control.id} />
      <Text size="sm" fw={500}>
        {control.summary}
      </Text>
      <Section title="What it checks">
        <Text size="sm">{control.description}</Text>
      </Section>
      <Section title="Mappings">
        <ControlMappings mappings={control.mappings} framework={framework} />
      </Section>
      <Section title="Metrics">
        <ControlMetrics metrics={control.metrics} />
      </Section>
      <Section title="Evidence">
        <EvidenceTable rows={control.evidence} total={control.evidenceCount} />
      </Section>
    </Stack>
  );
}

/** Every framework the control gives evidence for, the one being looked at first. */
function ControlMappings({ mappings, framework }: { mappings: ControlOutcome['mappings']; framework: Framework }) {
  const mapped = [framework, ...FRAMEWORKS.filter((f) => f !== framework)].filter((f) => (mappings[f]?.length ?? 0) > 0);
  return (
    <Table verticalSpacing={4} aria-label="Mappings">
      <Table.Tbody>
        {mapped.map((f) => (
          <Table.Tr key={f}>
            <Table.Td w={200}>
              <Text size="sm" fw={f === framework ? 600 : 400}>
                {FRAMEWORK_NAMES[f]}
              </Text>
            </Table.Td>
            <Table.Td>
              <ClauseList clauses={mappings[f] ?? []} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function ControlMetrics({ metrics }: { metrics: ControlOutcome['metrics'] }) {
  const entries = Object.entries(metrics);
  if (entries.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        This control measures nothing beyond its evidence.
      </Text>
    );
  }
  return (
    <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm" data-testid="control-metrics">
      {entries.map(([key, value]) => (
        <Fact key={key} label={metricLabel(key)}>
          {formatValue(value)}
        </Fact>
      ))}
    </SimpleGrid>
  );
}
