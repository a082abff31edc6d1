import { Alert, Button, Group, Select, SimpleGrid, Stack, TagsInput, TextInput } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { fieldErrorsOf } from '../../../shared/forms/problem-fields';
import {
  CONSENT_FIELDS,
  initialConsentValues,
  LAWFUL_BASIS_OPTIONS,
  toCreateConsentRequest,
  validateConsent,
  type ConsentFormValues,
} from '../api/consent-form';
import type { CreateConsentRequest } from '../api/consents.queries';

interface NewConsentFormProps {
  pending: boolean;
  error: unknown;
  onSubmit: (body: CreateConsentRequest) => void;
  onCancel: () => void;
}

/** Records a consent (or another lawful basis) for one pseudonymous subject, purpose and period. */
export function NewConsentForm({ pending, error, onSubmit, onCancel }: NewConsentFormProps) {
  const form = useForm<ConsentFormValues>({ initialValues: initialConsentValues(), validate: validateConsent });
  const server = fieldErrorsOf(error, CONSENT_FIELDS);
  const errorOf = (field: keyof ConsentFormValues) => form.errors[field] ?? server[field];

  return (
    <form onSubmit={form.onSubmit((values) => onSubmit(toCreateConsentRequest(values)))} noValidate>
      <Stack>
        <Alert variant="light" color="blue" title="Pseudonymous references only">
          The subject reference must not identify a person by itself: use an internal customer number or a hash, never an e-mail
          address or a name. Custos keeps it in its audit log and exports.
        </Alert>
        <TextInput
          label="Subject reference"
          placeholder="e.g. cust_8f3a2c or a hash"
          required
          maxLength={200}
          {...form.getInputProps('subjectRef')}
          error={errorOf('subjectRef')}
        />
        <TextInput label="Purpose" placeholder="e.g. newsletter" description="Lower-case letters, digits and _ . : -" required {...form.getInputProps('purpose')} error={errorOf('purpose')} />
        <TagsInput
          label="Data categories"
          description="Press Enter after each, e.g. personal, payment_card"
          placeholder="Add a category"
          splitChars={[',', ' ']}
          required
          {...form.getInputProps('dataCategories')}
          error={errorOf('dataCategories')}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select label="Lawful basis" data={LAWFUL_BASIS_OPTIONS} allowDeselect={false} {...form.getInputProps('lawfulBasis')} error={errorOf('lawfulBasis')} />
          <TextInput label="Jurisdiction" description="EU, DE, US-CA…" required {...form.getInputProps('jurisdiction')} error={errorOf('jurisdiction')} />
          <DateTimePicker label="Valid from" required {...form.getInputProps('validFrom')} error={errorOf('validFrom')} />
          <DateTimePicker label="Valid until" required {...form.getInputProps('validUntil')} error={errorOf('validUntil')} />
        </SimpleGrid>
        <TextInput label="Source" placeholder="Where it was given, e.g. signup-form-v3" {...form.getInputProps('source')} error={errorOf('source')} />
        {error ? <ProblemAlert error={error} shownFields={CONSENT_FIELDS} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={pending}>
            Record consent
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
