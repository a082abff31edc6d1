import { FRAMEWORK_NAMES, type Framework } from '@custos/contracts';
import { Table, Text, UnstyledButton } from '@mantine/core';
import type { ControlOutcome } from '../api/compliance.queries';
import { ClauseList } from './ClauseList';
import { ControlStatusBadge } from './ControlStatusBadge';

interface ControlTableProps {
  controls: readonly ControlOutcome[];
  framework: Framework;
  onOpen: (control: ControlOutcome) => void;
}

/** One row per control of the framework, in the catalogue's order; a row opens its evidence. */
export function ControlTable({ controls, framework, onOpen }: ControlTableProps) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing="xs" highlightOnHover aria-label="Controls" data-framework={framework}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Status</Table.Th>
            <Table.Th>Control</Table.Th>
            <Table.Th>Result</Table.Th>
            <Table.Th ta="right">Evidence</Table.Th>
            <Table.Th>{FRAMEWORK_NAMES[framework]} clauses</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {controls.map((control) => (
            <Table.Tr key={control.id} data-control-id={control.id} onClick={() => onOpen(control)} style={{ cursor: 'pointer' }}>
              <Table.Td>
                <ControlStatusBadge status={control.status} />
              </Table.Td>
              <Table.Td>
                {/* A real button, so keyboards reach the drill-down too; its click reaches the row's handler. */}
                <UnstyledButton fz="sm" fw={500} ta="left">
                  {control.title}
                </UnstyledButton>
                <Text size="xs" c="dimmed">
                  {control.id}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{control.summary}</Text>
              </Table.Td>
              <Table.Td ta="right" data-testid="evidence-count">
                {control.evidenceCount.toLocaleString()}
              </Table.Td>
              <Table.Td>
                <ClauseList clauses={control.clauses} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
