import { Group, NumberInput, Select, Stack, Text } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import { RATE_LIMIT_MAX, windowOptions, type RateLimitValues } from '../api/rate-limit';

interface RateLimitFieldsProps {
  values: RateLimitValues;
  /** The form's input props of each field, with its error (the form's own or the API's). */
  inputProps: (field: keyof RateLimitValues) => GetInputPropsReturnType;
  label?: string;
  description: string;
  /** Where the limit has to be: a token may have none, the API's per-key limit always has one. */
  required?: boolean;
}

/** A number of uses (empty: no limit) per window (a second, a minute, an hour, a day). */
export function RateLimitFields({ values, inputProps, label = 'Rate limit', description, required = false }: RateLimitFieldsProps) {
  return (
    <Stack gap={4} role="group" aria-label={label}>
      <Group align="flex-start" gap="sm" wrap="nowrap">
        <NumberInput
          label={`${label} (uses)`}
          {...(required ? {} : { placeholder: 'No limit' })}
          required={required}
          min={1}
          max={RATE_LIMIT_MAX}
          allowDecimal={false}
          allowNegative={false}
          clampBehavior="none"
          thousandSeparator=","
          style={{ flex: 1 }}
          {...inputProps('rateLimit')}
        />
        <Select label="Window" data={windowOptions(values.rateLimitWindow)} allowDeselect={false} w={150} {...inputProps('rateLimitWindow')} />
      </Group>
      <Text size="xs" c="dimmed">
        {description}
      </Text>
    </Stack>
  );
}
