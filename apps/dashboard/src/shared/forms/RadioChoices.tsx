import { Group, Radio } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import type { ReactNode } from 'react';

interface RadioChoicesProps {
  label: string;
  description?: ReactNode;
  /** Each choice with what it does, under its label. */
  options: ReadonlyArray<{ value: string; label: string; description: string }>;
  /** The form's input props of the field, with its error. */
  inputProps: GetInputPropsReturnType;
  /** How wide a choice's description may run. */
  choiceWidth?: number;
}

/** One of a few choices, side by side, each explained (a geo mode, what unknown locations do). */
export function RadioChoices({ label, description, options, inputProps, choiceWidth = 250 }: RadioChoicesProps) {
  return (
    <Radio.Group label={label} {...(description ? { description } : {})} {...inputProps}>
      <Group gap="xl" mt={6} align="flex-start" wrap="wrap">
        {options.map((option) => (
          <Radio key={option.value} value={option.value} label={option.label} description={option.description} maw={choiceWidth} />
        ))}
      </Group>
    </Radio.Group>
  );
}
