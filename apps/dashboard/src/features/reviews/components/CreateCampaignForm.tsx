import { Button, Group, MultiSelect, Radio, Select, Stack, TagsInput, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import dayjs from 'dayjs';
import { useCan } from '../../../shared/auth/permissions';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { fieldErrorsOf } from '../../../shared/forms/problem-fields';
import { useServices } from '../../services/api/services.queries';
import { useSession } from '../../session/api/session.queries';
import { stewardOptions } from '../../users/api/stewards';
import { useUsers } from '../../users/api/users.queries';
import { campaignFormDefaults, OVERDUE_OPTIONS, toCampaignRequest, validateCampaignForm, type CampaignFormValues } from '../api/review-format';
import type { CreateCampaignRequest, OverdueAction } from '../api/reviews.queries';

/** Fields of the API's answer placed on the form's own. */
const SERVER_FIELDS = ['name', 'scope', 'dueAt', 'reviewer', 'onOverdue'] as const;

interface CreateCampaignFormProps {
  /** The policy's defaults for a campaign (what scheduled ones get), when the role may read it. */
  defaults?: { onOverdue: OverdueAction; dueInDays: number } | undefined;
  pending: boolean;
  error: unknown;
  onSubmit: (body: CreateCampaignRequest) => void;
  onCancel: () => void;
}

/** A new campaign: what it reviews, by when, who reviews, and what happens to tokens left undecided. */
export function CreateCampaignForm({ defaults, pending, error, onSubmit, onCancel }: CreateCampaignFormProps) {
  const can = useCan();
  const { user: me } = useSession();
  const services = useServices(can('custos:services:read'));
  const users = useUsers(can('custos:users:read'));
  const form = useForm<CampaignFormValues>({
    initialValues: campaignFormDefaults(defaults?.onOverdue, defaults?.dueInDays),
    validate: (values) => validateCampaignForm(values),
  });
  const server = fieldErrorsOf(error, SERVER_FIELDS);
  const criteria = form.values.scopeKind === 'criteria';

  return (
    <form onSubmit={form.onSubmit((values) => onSubmit(toCampaignRequest(values)))} noValidate>
      <Stack>
        <TextInput label="Name" placeholder="Q4 review of tokens reaching personal data" required maxLength={200} {...form.getInputProps('name')} error={form.errors.name ?? server.name} />
        <Radio.Group label="Tokens to review" {...form.getInputProps('scopeKind')} error={form.errors.scopeKind ?? server.scope}>
          <Group mt={6} gap="xl">
            <Radio value="all" label="All active tokens" />
            <Radio value="criteria" label="Tokens matching every criterion below" />
          </Group>
        </Radio.Group>
        {criteria ? (
          <>
            <MultiSelect
              label="Services"
              placeholder="Any service"
              searchable
              data={(services.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
              {...form.getInputProps('serviceIds')}
            />
            <TagsInput label="Data categories" description="Tokens reaching any of them." placeholder="personal, health" {...form.getInputProps('dataCategories')} />
            <TagsInput label="Scopes" description="Tokens holding at least one of them." placeholder="patients:write" {...form.getInputProps('scopesAny')} />
          </>
        ) : null}
        <DateInput
          label="Due date"
          description="Decisions are due by the end of this day."
          required
          minDate={dayjs().format('YYYY-MM-DD')}
          maxDate={dayjs().add(366, 'day').format('YYYY-MM-DD')}
          w={220}
          {...form.getInputProps('dueDay')}
          error={form.errors.dueDay ?? server.dueAt}
        />
        <Radio.Group label="Reviewer" {...form.getInputProps('reviewerKind')} error={server.reviewer}>
          <Group mt={6} gap="xl">
            <Radio value="steward" label="Each token's steward" />
            <Radio value="user" label="One user reviews them all" />
          </Group>
        </Radio.Group>
        {form.values.reviewerKind === 'user' ? (
          <Select
            label="Reviewing user"
            searchable
            placeholder="Pick a user"
            data={stewardOptions(users.data, null, me)}
            {...form.getInputProps('reviewerUserId')}
          />
        ) : null}
        <Select
          label="At the due date, undecided tokens"
          data={OVERDUE_OPTIONS}
          allowDeselect={false}
          {...form.getInputProps('onOverdue')}
          error={server.onOverdue}
        />
        {error ? <ProblemAlert error={error} shownFields={Object.keys(server)} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" loading={pending}>
            Open campaign
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
