import { Checkbox, Table } from '@mantine/core';
import type { Token } from '../api/tokens.queries';
import { NAME_COLUMN, OPTIONAL_COLUMNS } from './inventory-columns';

interface InventoryTableProps {
  tokens: Token[];
  visibleColumns: readonly string[];
  /** Present when the user may act on several tokens at once. */
  selection?: { selected: ReadonlySet<string>; onChange: (selected: Set<string>) => void };
}

/** Only tokens that are still alive can be selected: revoking a revoked or expired one is refused. */
const selectable = (t: Token) => t.status !== 'revoked' && t.status !== 'expired';

export function InventoryTable({ tokens, visibleColumns, selection }: InventoryTableProps) {
  const columns = [NAME_COLUMN, ...OPTIONAL_COLUMNS.filter((c) => visibleColumns.includes(c.key))];
  const candidates = tokens.filter(selectable);
  const allSelected = selection !== undefined && candidates.length > 0 && candidates.every((t) => selection.selected.has(t.id));
  const someSelected = selection !== undefined && candidates.some((t) => selection.selected.has(t.id));

  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped highlightOnHover verticalSpacing="xs" aria-label="Tokens">
        <Table.Thead>
          <Table.Tr>
            {selection ? (
              <Table.Th w={40}>
                <Checkbox
                  aria-label="Select all shown tokens"
                  checked={allSelected}
                  indeterminate={someSelected && !allSelected}
                  onChange={() => selection.onChange(allSelected ? new Set() : new Set(candidates.map((t) => t.id)))}
                />
              </Table.Th>
            ) : null}
            {columns.map((c) => (
              <Table.Th key={c.key}>{c.label}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.map((token) => (
            <Table.Tr key={token.id} data-token-id={token.id}>
              {selection ? (
                <Table.Td>
                  <Checkbox
                    aria-label={`Select ${token.name}`}
                    disabled={!selectable(token)}
                    checked={selection.selected.has(token.id)}
                    onChange={(event) => {
                      const next = new Set(selection.selected);
                      if (event.currentTarget.checked) next.add(token.id);
                      else next.delete(token.id);
                      selection.onChange(next);
                    }}
                  />
                </Table.Td>
              ) : null}
              {columns.map((c) => (
                <Table.Td key={c.key} style={c.nowrap ? { whiteSpace: 'nowrap' } : undefined} miw={c.minWidth}>
                  {c.render(token)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
