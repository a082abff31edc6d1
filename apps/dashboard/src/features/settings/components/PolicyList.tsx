import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import type { ReactNode } from 'react';

/** What a list's fields get from the policy form: input props and errors by path, and adding and removing rows. */
export interface PolicyListFieldsProps<Row> {
  field: (path: string) => GetInputPropsReturnType;
  error: (path: string) => string | undefined;
  onAdd: (row: Row) => void;
  onRemove: (index: number) => void;
  writable: boolean;
}

/** An error of a whole list or row (a rule that allows nothing, a group the API refuses), under its fields. */
function RowError({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <Text size="xs" c="red" role="alert">
      {message}
    </Text>
  );
}

interface PolicyListProps {
  title: string;
  description: string;
  /** An error of the list as a whole (`geo.rules`). */
  error: string | undefined;
  /** What an empty list means. */
  empty: string;
  count: number;
  addLabel: string;
  onAdd: () => void;
  writable: boolean;
  children: ReactNode;
}

/** A list of the policy's (its rules, its region groups): a row each, added and removed in place, saved with the rest. */
export function PolicyList({ title, description, error, empty, count, addLabel, onAdd, writable, children }: PolicyListProps) {
  return (
    <Stack gap="sm" role="group" aria-label={title}>
      <div>
        <Text fw={600} size="sm">
          {title}
        </Text>
        <Text size="xs" c="dimmed">
          {description}
        </Text>
      </div>
      <RowError message={error} />
      {count === 0 ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : null}
      {children}
      {writable ? (
        <Group>
          <Button variant="default" size="xs" onClick={onAdd}>
            {addLabel}
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}

interface PolicyListRowProps {
  /** "Rule 1": the row's name for assistive technology, and its remove button's ("Remove rule 1"). */
  label: string;
  error: string | undefined;
  removeLabel: string;
  onRemove: () => void;
  writable: boolean;
  children: ReactNode;
}

export function PolicyListRow({ label, error, removeLabel, onRemove, writable, children }: PolicyListRowProps) {
  return (
    <Paper withBorder p="sm" radius="md" role="group" aria-label={label}>
      <Stack gap="xs">
        {children}
        <RowError message={error} />
        {writable ? (
          <Group justify="flex-end">
            <Button variant="subtle" color="red" size="xs" onClick={onRemove} aria-label={`Remove ${label.charAt(0).toLowerCase()}${label.slice(1)}`}>
              {removeLabel}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Paper>
  );
}
