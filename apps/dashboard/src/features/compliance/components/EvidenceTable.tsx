import { Code, Group, Table, Text } from '@mantine/core';
import { ObjectLink } from '../../../shared/components/ObjectLink';
import { formatValue } from '../api/control-format';
import type { EvidenceRow } from '../api/compliance.queries';

/** The first evidence rows the API sent, and how many there are in all (the reports carry every one). */
export function EvidenceTable({ rows, total }: { rows: readonly EvidenceRow[]; total: number }) {
  if (total === 0) {
    return (
      <Text size="sm" c="dimmed">
        No evidence rows: nothing in the period bears on this control, or it found nothing wrong.
      </Text>
    );
  }
  return (
    <>
      <Text size="xs" c="dimmed" data-testid="evidence-shown">
        {rows.length === total
          ? `${total.toLocaleString()} ${total === 1 ? 'row' : 'rows'}`
          : `First ${rows.length.toLocaleString()} of ${total.toLocaleString()} rows; a JSON or CSV report has them all.`}
      </Text>
      <Table.ScrollContainer minWidth={560}>
        <Table verticalSpacing={4} aria-label="Evidence">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Subject</Table.Th>
              <Table.Th>Detail</Table.Th>
              <Table.Th>Data</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row, index) => (
              // Subjects may repeat (one token, several findings): the position keeps keys apart.
              <Table.Tr key={`${index}:${row.subject}`}>
                <Table.Td>
                  <ObjectLink id={row.subject} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{row.detail}</Text>
                </Table.Td>
                <Table.Td>
                  <EvidenceData data={row.data} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}

function EvidenceData({ data }: { data: EvidenceRow['data'] }) {
  const entries = Object.entries(data);
  if (entries.length === 0) return <Text size="sm">—</Text>;
  return (
    <Group gap={4}>
      {entries.map(([key, value]) => (
        <Text key={key} size="xs" component="span">
          {key}: <Code>{formatValue(value)}</Code>
        </Text>
      ))}
    </Group>
  );
}
