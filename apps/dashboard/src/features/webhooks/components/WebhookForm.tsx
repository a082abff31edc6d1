import { WEBHOOK_EVENT_TYPES } from '@custos/contracts';
import { Button, Checkbox, Code, Group, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { fieldErrorsOf } from '../../../shared/forms/problem-fields';
import type { CreateWebhookRequest, Webhook, WebhookEvent } from '../api/webhooks.queries';

const FIELDS = ['url', 'events', 'description'] as const;

/** When each event is sent (docs/api.md, "Events"). */
const EVENT_HINTS: Record<WebhookEvent, string> = {
  'token.expiring': '7 days and 1 day before a token expires',
  'token.expired': "a token expired, or a rotated token's grace period ended",
  'token.rotated': 'a token got a successor',
  'token.revoked': 'a token was revoked',
  'token.suspended': 'a token was suspended, by someone or for being unused',
  'token.unused_warning': 'a token is about to be suspended for being unused',
  'consent.withdrawn': 'a consent was withdrawn (its tokens are revoked)',
  'audit.checkpoint_signed': 'a signed checkpoint of the audit chain was made',
  'alert.raised': 'an alert rule fired (a dead token presented, key sharing, a leak report, ...)',
  'alert.resolved': 'someone resolved an alert',
  'review.reminder': 'an access review campaign is due soon and has undecided items',
  'review.overdue': "an access review campaign's due date passed with items undecided",
};

interface WebhookFormProps {
  webhook?: Webhook;
  pending: boolean;
  error: unknown;
  onSubmit: (body: CreateWebhookRequest) => void;
  onCancel: () => void;
}

/**
 * Create and edit share one form. The API checks the URL (https, public addresses only, unless the
 * installation allows private ones) and answers which rule it breaks; that message shows on the field.
 */
export function WebhookForm({ webhook, pending, error, onSubmit, onCancel }: WebhookFormProps) {
  const form = useForm({
    initialValues: {
      url: webhook?.url ?? '',
      events: (webhook?.events ?? []) as string[],
      description: webhook?.description ?? '',
    },
    validate: {
      url: (v) => (/^https?:\/\/\S+$/i.test(v.trim()) ? null : 'An http(s) URL, e.g. https://hooks.example.com/custos'),
      events: (v) => (v.length > 0 ? null : 'Pick at least one event'),
      description: (v) => (v.length <= 500 ? null : 'At most 500 characters'),
    },
  });
  const server = fieldErrorsOf(error, FIELDS);

  return (
    <form
      onSubmit={form.onSubmit((v) =>
        onSubmit({
          url: v.url.trim(),
          // In the contract's order, whatever order they were ticked in.
          events: WEBHOOK_EVENT_TYPES.filter((e) => v.events.includes(e)),
          description: v.description.trim() || null,
        }),
      )}
      noValidate
    >
      <Stack>
        <TextInput
          label="URL"
          placeholder="https://hooks.example.com/custos"
          required
          {...form.getInputProps('url')}
          error={form.errors.url ?? server.url}
        />
        <Checkbox.Group
          label="Events"
          description="What this endpoint receives. A test event is sent on request, whatever is picked."
          required
          {...form.getInputProps('events')}
          error={form.errors.events ?? server.events}
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing="xs">
            {WEBHOOK_EVENT_TYPES.map((event) => (
              <Checkbox key={event} value={event} label={<Code>{event}</Code>} description={EVENT_HINTS[event]} />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        <Textarea label="Description" autosize minRows={2} {...form.getInputProps('description')} error={form.errors.description ?? server.description} />
        {error ? <ProblemAlert error={error} shownFields={FIELDS} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={pending}>
            {webhook ? 'Save' : 'Create webhook'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
