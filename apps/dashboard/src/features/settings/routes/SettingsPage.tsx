import { Button, Group, NumberInput, Paper, Stack, TagsInput, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useCan } from '../../../shared/auth/permissions';
import { PageHeader } from '../../../shared/components/PageHeader';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { ErrorState, LoadingState } from '../../../shared/components/states';
import { fieldErrorsOf } from '../../../shared/forms/problem-fields';
import { formatDateTime } from '../../../shared/format/format';
import { usePolicy, useReplacePolicy, type Policy } from '../api/policy.queries';

const DAY = 86_400;
const HOUR = 3_600;
const FIELDS = ['maxLifetimeSeconds', 'defaultRotationIntervalSeconds', 'defaultGracePeriodSeconds', 'disableUnusedAfterDays', 'requireConsentFor'] as const;

export function SettingsPage() {
  const policy = usePolicy();
  return (
    <>
      <PageHeader title="Settings" description="Your organization's token policy. Every change is audited." />
      {policy.isPending ? (
        <LoadingState label="Loading the policy…" />
      ) : policy.isError ? (
        <ErrorState error={policy.error} onRetry={() => void policy.refetch()} />
      ) : (
        <PolicyForm key={policy.data.updatedAt} policy={policy.data} />
      )}
    </>
  );
}

/** The form speaks days and hours; the API takes seconds. */
function PolicyForm({ policy }: { policy: Policy }) {
  const can = useCan();
  const writable = can('custos:policy:write');
  const replace = useReplacePolicy();
  const form = useForm({
    initialValues: {
      maxLifetimeDays: policy.maxLifetimeSeconds / DAY,
      rotationDays: policy.defaultRotationIntervalSeconds === null ? '' : policy.defaultRotationIntervalSeconds / DAY,
      graceHours: policy.defaultGracePeriodSeconds / HOUR,
      unusedDays: policy.disableUnusedAfterDays,
      requireConsentFor: policy.requireConsentFor,
    } as {
      maxLifetimeDays: number | string;
      rotationDays: number | string;
      graceHours: number | string;
      unusedDays: number | string;
      requireConsentFor: string[];
    },
    validate: {
      maxLifetimeDays: (v) => (Number(v) > 0 ? null : 'A positive number of days'),
      graceHours: (v) => (Number(v) >= 0 ? null : 'Zero or more hours'),
      unusedDays: (v) => (Number.isInteger(Number(v)) && Number(v) >= 1 ? null : 'A whole number of days, at least 1'),
    },
  });
  const server = fieldErrorsOf(replace.error, FIELDS);
  return (
    <Paper withBorder p="lg" radius="md" maw={640}>
      <form
        onSubmit={form.onSubmit((v) =>
          replace.mutate(
            {
              maxLifetimeSeconds: Math.round(Number(v.maxLifetimeDays) * DAY),
              defaultRotationIntervalSeconds: v.rotationDays === '' ? null : Math.round(Number(v.rotationDays) * DAY),
              defaultGracePeriodSeconds: Math.round(Number(v.graceHours) * HOUR),
              disableUnusedAfterDays: Number(v.unusedDays),
              requireConsentFor: v.requireConsentFor,
            },
            { onSuccess: () => notifications.show({ color: 'green', title: 'Policy saved', message: 'New tokens follow it from now on.' }) },
          ),
        )}
        noValidate
      >
        <Stack>
          <NumberInput label="Maximum token lifetime (days)" min={1} disabled={!writable} {...form.getInputProps('maxLifetimeDays')} error={form.errors.maxLifetimeDays ?? server.maxLifetimeSeconds} />
          <NumberInput
            label="Default rotation interval (days)"
            placeholder="No scheduled rotation"
            min={1}
            disabled={!writable}
            {...form.getInputProps('rotationDays')}
            error={form.errors.rotationDays ?? server.defaultRotationIntervalSeconds}
          />
          <NumberInput label="Default grace period (hours)" min={0} disabled={!writable} {...form.getInputProps('graceHours')} error={form.errors.graceHours ?? server.defaultGracePeriodSeconds} />
          <NumberInput
            label="Suspend tokens unused for (days)"
            min={1}
            disabled={!writable}
            {...form.getInputProps('unusedDays')}
            error={form.errors.unusedDays ?? server.disableUnusedAfterDays}
          />
          <TagsInput
            label="Data categories that need a consent"
            description="A token reaching any of these can only be issued bound to a consent (see Consents)."
            placeholder="personal, health"
            disabled={!writable}
            {...form.getInputProps('requireConsentFor')}
            error={server.requireConsentFor}
          />
          <Text size="xs" c="dimmed">
            Last changed {formatDateTime(policy.updatedAt)}.
          </Text>
          {replace.error ? <ProblemAlert error={replace.error} shownFields={FIELDS} /> : null}
          {writable ? (
            <Group>
              <Button type="submit" loading={replace.isPending}>
                Save policy
              </Button>
            </Group>
          ) : null}
        </Stack>
      </form>
    </Paper>
  );
}
