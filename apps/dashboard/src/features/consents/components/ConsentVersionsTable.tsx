import { Table } from '@mantine/core';
import { ActorName } from '../../../shared/components/ActorName';
import { formatDateTime } from '../../../shared/format/format';
import type { ConsentVersion } from '../api/consents.queries';

/** The original grant and each renewal, oldest first, as the API lists them. */
export function ConsentVersionsTable({ versions, label }: { versions: readonly ConsentVersion[]; label: string }) {
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table verticalSpacing={4} aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Version</Table.Th>
            <Table.Th>Valid from</Table.Th>
            <Table.Th>Valid until</Table.Th>
            <Table.Th>Recorded</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {versions.map((v) => (
            <Table.Tr key={v.id}>
              <Table.Td>{v.version === 1 ? '1 (original)' : `${v.version} (renewal)`}</Table.Td>
              <Table.Td>{formatDateTime(v.validFrom)}</Table.Td>
              <Table.Td>{formatDateTime(v.validUntil)}</Table.Td>
              <Table.Td>
                {formatDateTime(v.createdAt)}
                {v.createdBy ? (
                  <>
                    {' by '}
                    <ActorName id={v.createdBy} actor={v.createdByActor} />
                  </>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
