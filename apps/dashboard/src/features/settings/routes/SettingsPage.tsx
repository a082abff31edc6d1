import { Button, Divider, Fieldset, Group, NumberInput, Paper, Select, Stack, TagsInput, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { ReactNode } from 'react';
import { useCan } from '../../../shared/auth/permissions';
import { PageHeader } from '../../../shared/components/PageHeader';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { ErrorState, LoadingState } from '../../../shared/components/states';
import { placeFieldErrors } from '../../../shared/forms/problem-fields';
import { RadioChoices } from '../../../shared/forms/RadioChoices';
import { formatDateTime } from '../../../shared/format/format';
import { GEO_MODE_OPTIONS } from '../../tokens/api/geofence';
import { RateLimitFields } from '../../tokens/components/RateLimitFields';
import { useRegions, type Region } from '../../usage/api/usage.queries';
import {
  policyFormPaths,
  policyRegionOptions,
  policyValuesOf,
  POLICY_SERVER_ALIASES,
  toPolicyRequest,
  validatePolicy,
  type GeoRuleValues,
  type PolicyFormValues,
  type RegionGroupValues,
} from '../api/policy-form';
import { usePolicy, useReplacePolicy, type Policy, type PolicyRequest } from '../api/policy.queries';
import { AlertRulesFields } from '../components/AlertRulesFields';
import { AuthPolicyFields } from '../components/AuthPolicyFields';
import { GeoRulesFields } from '../components/GeoRulesFields';
import { RegionGroupsFields } from '../components/RegionGroupsFields';
import { ReviewPolicyFields } from '../components/ReviewPolicyFields';
import { SsoSection } from '../components/SsoSection';

export function SettingsPage() {
  const can = useCan();
  const policy = usePolicy();
  const regions = useRegions(can('custos:policy:read'));
  const replace = useReplacePolicy();
  return (
    <>
      <PageHeader title="Settings" description="Your organization's token policy. Every change is audited." />
      {policy.isPending ? (
        <LoadingState label="Loading the policy…" />
      ) : policy.isError ? (
        <ErrorState error={policy.error} onRetry={() => void policy.refetch()} />
      ) : (
        <PolicyForm
          key={policy.data.updatedAt}
          policy={policy.data}
          regions={regions.data}
          writable={can('custos:policy:write')}
          pending={replace.isPending}
          error={replace.error}
          onEdited={() => replace.reset()}
          onSubmit={(body) =>
            replace.mutate(body, { onSuccess: () => notifications.show({ color: 'green', title: 'Policy saved', message: 'New tokens follow it from now on.' }) })
          }
        />
      )}
      {can('custos:policy:read') ? (
        <Stack mt="md">
          <SsoSection />
        </Stack>
      ) : null}
    </>
  );
}

function Section({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  return (
    <Paper withBorder p="lg" radius="md" role="region" aria-label={title}>
      <Stack>
        <div>
          <Title order={2} size="h4">
            {title}
          </Title>
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        </div>
        {children}
      </Stack>
    </Paper>
  );
}

const UNKNOWN_LOCATION_OPTIONS = [
  { value: 'allow', label: 'Allow', description: 'A use from a private address, or one no database places, passes every geofence.' },
  { value: 'block', label: 'Block', description: 'Such a use is outside every geofence: refused where one is enforced, flagged where monitored.' },
];

interface PolicyFormProps {
  policy: Policy;
  /** GET /v1/regions: the built-in groups the geography fields offer beside the form's own. */
  regions: Region[] | undefined;
  writable: boolean;
  pending: boolean;
  /** The last save's failure: its field errors appear on the inputs they name (`geo.rules.0.allowedRegions`), the rest above the button. */
  error: unknown;
  /** A row was added or removed: the last failure's errors no longer point at the right rows. */
  onEdited: () => void;
  onSubmit: (body: PolicyRequest) => void;
}

/** The whole policy in one form, saved with one PUT (the form speaks days and hours; the API takes seconds). */
export function PolicyForm({ policy, regions, writable, pending, error, onEdited, onSubmit }: PolicyFormProps) {
  const form = useForm<PolicyFormValues>({ initialValues: policyValuesOf(policy), validate: validatePolicy });
  const server = placeFieldErrors(error, policyFormPaths(form.values), POLICY_SERVER_ALIASES);
  const fieldError = (path: string): string | undefined => {
    const own = form.errors[path];
    return typeof own === 'string' ? own : server.errors[path];
  };
  const field = (path: string) => ({ ...form.getInputProps(path), error: fieldError(path) });
  const regionOptions = policyRegionOptions(regions, form.values.geo.regionGroups);
  const rows = <Row extends GeoRuleValues | RegionGroupValues>(list: 'geo.rules' | 'geo.regionGroups') => ({
    onAdd: (row: Row) => {
      form.insertListItem(list, row);
      onEdited();
    },
    onRemove: (index: number) => {
      form.removeListItem(list, index);
      onEdited();
    },
  });

  return (
    <form onSubmit={form.onSubmit((values) => onSubmit(toPolicyRequest(values)))} noValidate>
      <Fieldset variant="unstyled" disabled={!writable} maw={880}>
        <Stack>
          <Section title="Tokens" description="Lifetimes, rotation and consent for new tokens.">
            <NumberInput label="Maximum token lifetime (days)" min={1} {...field('maxLifetimeDays')} />
            <NumberInput label="Default rotation interval (days)" placeholder="No scheduled rotation" min={1} {...field('rotationDays')} />
            <NumberInput label="Default grace period (hours)" min={0} {...field('graceHours')} />
            <NumberInput label="Suspend tokens unused for (days)" min={1} {...field('unusedDays')} />
            <TagsInput
              label="Data categories that need a consent"
              description="A token reaching any of these can only be issued bound to a consent (see Consents)."
              placeholder="personal, health"
              {...field('requireConsentFor')}
            />
          </Section>

          <Section title="Usage and the API" description="How long uses are kept, and how much each service key may ask of the API.">
            <NumberInput
              label="Keep usage events for (days)"
              description="Older uses are deleted by the hourly clean-up, with their hourly counts: charts and cross-border transfers reach back no further."
              min={1}
              max={3650}
              allowDecimal={false}
              clampBehavior="none"
              {...field('usageRetentionDays')}
            />
            <RateLimitFields
              label="API requests per service key"
              values={form.values.apiRateLimit}
              inputProps={(part) => field(`apiRateLimit.${part}`)}
              description="Every request a service key makes, verify aside (each token's own rate limit governs verify); past it the API answers 429 with Retry-After."
              required
            />
          </Section>

          <Section title="Geography" description="Defaults for new tokens, unknown locations, rules by data category, and your own region groups.">
            <RadioChoices
              label="Default geo mode"
              description="What a token issued without a geo mode of its own gets."
              options={GEO_MODE_OPTIONS}
              inputProps={field('geo.defaultMode')}
            />
            <Select
              label="Default residency region"
              description="What a token issued without a residency region gets: a use from outside it is a cross-border transfer."
              placeholder="None"
              data={regionOptions}
              clearable
              searchable
              maw={420}
              {...field('geo.defaultResidencyRegion')}
            />
            <RadioChoices
              label="Unknown locations"
              description="A use whose country is not known."
              options={UNKNOWN_LOCATION_OPTIONS}
              inputProps={field('geo.unknownLocation')}
              choiceWidth={360}
            />
            <Divider />
            <GeoRulesFields
              rules={form.values.geo.rules}
              regionOptions={regionOptions}
              field={field}
              error={fieldError}
              writable={writable}
              {...rows<GeoRuleValues>('geo.rules')}
            />
            <Divider />
            <RegionGroupsFields groups={form.values.geo.regionGroups} field={field} error={fieldError} writable={writable} {...rows<RegionGroupValues>('geo.regionGroups')} />
          </Section>

          <Section
            title="Alert rules"
            description="Which signs of abuse raise an alert, how severe it is, and what it does to the token at once. Alerts are listed under Alerts."
          >
            <AlertRulesFields values={form.values.alerts} field={field} error={fieldError} />
          </Section>

          <Section title="Access reviews" description="Campaigns in which stewards confirm each token is still needed. Campaigns are listed under Access reviews.">
            <ReviewPolicyFields values={form.values.reviews} field={field} />
          </Section>

          <Section title="Sign-in and sessions" description="Two-step verification by role, how recent a check sensitive actions need, and how long sessions last.">
            <AuthPolicyFields values={form.values.auth} field={field} />
          </Section>

          <Text size="xs" c="dimmed">
            Last changed {formatDateTime(policy.updatedAt)}.
          </Text>
          {error ? <ProblemAlert error={error} shownFields={server.placed} /> : null}
          {writable ? (
            <Group>
              <Button type="submit" loading={pending}>
                Save policy
              </Button>
            </Group>
          ) : null}
        </Stack>
      </Fieldset>
    </form>
  );
}
