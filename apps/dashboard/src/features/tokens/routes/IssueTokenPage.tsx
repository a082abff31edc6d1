import { Button, Group, NumberInput, Paper, Select, SimpleGrid, Stack, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useCan } from '../../../shared/auth/permissions';
import { PageHeader } from '../../../shared/components/PageHeader';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { EmptyState } from '../../../shared/components/states';
import { placeFieldErrors } from '../../../shared/forms/problem-fields';
import { useServices } from '../../services/api/services.queries';
import { useSession } from '../../session/api/session.queries';
import { usePolicy } from '../../settings/api/policy.queries';
import { stewardOptions } from '../../users/api/stewards';
import { useUsers } from '../../users/api/users.queries';
import { INITIAL_VALUES, LIFETIME_PRESETS, SERVER_FIELDS, toIssueRequest, validateIssueToken, type IssueTokenValues } from '../api/issue-token.form';
import { useIssueToken, type IssuedToken } from '../api/tokens.queries';
import { ConsentBindingFields } from '../components/ConsentBindingFields';
import { GeofenceFields } from '../components/GeofenceFields';
import { RateLimitFields } from '../components/RateLimitFields';
import { SecretReveal } from '../components/SecretReveal';

export function IssueTokenPage() {
  const can = useCan();
  const [search] = useSearchParams();
  const [issued, setIssued] = useState<IssuedToken | null>(null);

  if (!can('custos:tokens:issue')) {
    return <EmptyState title="Your role cannot issue tokens">Ask an owner, admin or operator.</EmptyState>;
  }
  return (
    <>
      <PageHeader title="Issue a token" description="The secret is shown once, right after issuing." />
      {issued ? (
        <SecretReveal
          title={`"${issued.token.name}" is ready`}
          secret={issued.secret}
          actions={
            <>
              <Button variant="default" component={Link} to={`/tokens/${issued.token.id}`}>
                Go to the token
              </Button>
              <Button variant="subtle" onClick={() => setIssued(null)}>
                Issue another
              </Button>
            </>
          }
        />
      ) : (
        <IssueTokenForm onIssued={setIssued} consentId={search.get('consentId') ?? ''} />
      )}
    </>
  );
}

/** `consentId` pre-fills the binding, for "Issue a token for this consent" on a consent's page. */
export function IssueTokenForm({ onIssued, consentId = '' }: { onIssued: (issued: IssuedToken) => void; consentId?: string }) {
  const can = useCan();
  const policy = usePolicy(can('custos:policy:read'));
  const services = useServices(can('custos:services:read'));
  const { user: me } = useSession();
  // Naming a steward takes custos:users:write (owners and admins); everyone else's tokens are their own.
  const namesSteward = can('custos:users:write');
  const users = useUsers(namesSteward);
  const issue = useIssueToken();
  const form = useForm<IssueTokenValues>({
    initialValues: { ...INITIAL_VALUES, consentId },
    validate: (values) => validateIssueToken(values, policy.data?.maxLifetimeSeconds),
  });

  const submit = form.onSubmit((values) =>
    issue.mutate(toIssueRequest(values), {
      onSuccess: onIssued,
      // The API's field errors go next to the fields they concern.
      onError: (error) => form.setErrors(placeFieldErrors(error, [], SERVER_FIELDS).errors),
    }),
  );
  const shownFields = Object.keys(SERVER_FIELDS);

  return (
    <Paper withBorder p="lg" radius="md" maw={880}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label="Name" description="What the token is for, e.g. orders-service production" required maxLength={200} {...form.getInputProps('name')} />
          <TagsInput
            label="Scopes"
            description="Press Enter after each, e.g. orders:read"
            placeholder="Add a scope"
            splitChars={[',', ' ']}
            {...form.getInputProps('scopes')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select label="Expires" data={LIFETIME_PRESETS} allowDeselect={false} {...form.getInputProps('lifetime')} />
            {form.values.lifetime === 'custom' ? (
              <DateTimePicker label="Expires at" placeholder="Pick a date and time" minDate={new Date()} clearable {...form.getInputProps('expiresAt')} />
            ) : (
              <Text size="sm" c="dimmed" pt={28}>
                {policy.data ? `Your organization's policy allows at most ${Math.floor(policy.data.maxLifetimeSeconds / 86_400)} days.` : null}
              </Text>
            )}
            <Select label="Environment" data={['live', 'test']} allowDeselect={false} {...form.getInputProps('environment')} />
            <Select
              label="Owner service"
              placeholder="None"
              clearable
              searchable
              data={(services.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
              {...form.getInputProps('ownerServiceId')}
            />
            {namesSteward ? (
              <Select
                label="Steward"
                description="The user accountable for the token: you, unless you pick someone else"
                searchable
                allowDeselect={false}
                nothingFoundMessage="No user has that e-mail"
                data={stewardOptions(users.data, form.values.stewardUserId, me)}
                value={form.values.stewardUserId ?? me.id}
                onChange={(id) => form.setFieldValue('stewardUserId', id === null || id === me.id ? null : id)}
                error={form.errors.stewardUserId}
              />
            ) : null}
          </SimpleGrid>
          <TagsInput
            label="Allowed IP ranges"
            description="Empty allows any address. e.g. 10.0.0.0/8"
            placeholder="Add an address or CIDR"
            splitChars={[',', ' ']}
            {...form.getInputProps('allowedCidrs')}
          />
          <GeofenceFields values={form.values} inputProps={(field) => form.getInputProps(field)} policyDefaults={{ defaults: policy.data?.geo }} />
          <RateLimitFields
            values={form.values}
            inputProps={(field) => form.getInputProps(field)}
            description="Verifies of this token per window, counted across every api instance; past it verify answers RATE_LIMITED with when to retry."
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NumberInput label="Maximum uses" placeholder="Unlimited" min={1} allowDecimal={false} {...form.getInputProps('maxUses')} />
            <NumberInput label="Rotate every (days)" placeholder="Never" min={1} {...form.getInputProps('rotationDays')} />
            <NumberInput label="Grace period (hours)" placeholder="Policy default" min={0} max={720} {...form.getInputProps('gracePeriodHours')} />
          </SimpleGrid>
          <Textarea label="Metadata (JSON object)" placeholder='{"team": "orders"}' autosize minRows={2} {...form.getInputProps('metadata')} />
          <ConsentBindingFields form={form} />
          {issue.error ? <ProblemAlert error={issue.error} shownFields={shownFields} /> : null}
          <Group>
            <Button type="submit" loading={issue.isPending}>
              Issue token
            </Button>
            <Button variant="default" component={Link} to="/tokens">
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
