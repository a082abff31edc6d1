import { Button, Checkbox, Popover, Stack } from '@mantine/core';
import { OPTIONAL_COLUMNS } from './inventory-columns';

interface ColumnChooserProps {
  visible: readonly string[];
  onChange: (visible: string[]) => void;
}

export function ColumnChooser({ visible, onChange }: ColumnChooserProps) {
  return (
    <Popover position="bottom-end" shadow="md" withinPortal>
      <Popover.Target>
        <Button variant="default">Columns</Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Checkbox.Group label="Show columns" value={[...visible]} onChange={onChange}>
          <Stack gap="xs" mt="xs">
            {OPTIONAL_COLUMNS.map((column) => (
              <Checkbox key={column.key} value={column.key} label={column.label} />
            ))}
          </Stack>
        </Checkbox.Group>
      </Popover.Dropdown>
    </Popover>
  );
}
