import { ActionIcon, Alert, Badge, Button, Code, CopyButton, Fieldset, Group, Paper, PasswordInput, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useCan } from '../../../shared/auth/permissions';
import { ConfirmModal } from '../../../shared/components/ConfirmModal';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { ErrorState, LoadingState } from '../../../shared/components/states';
import { placeFieldErrors } from '../../../shared/forms/problem-fields';
import { formatDateTime } from '../../../shared/format/format';
import { ssoValuesOf, toSsoRequest, validateSso, type SsoFormValues, type SsoRole } from '../api/sso-form';
import { ssoTestUrl, useRemoveSso, useSaveSso, useSso, type SsoOverview, type SsoRequest, type SsoTest } from '../api/sso.queries';

const ROLE_OPTIONS: Array<{ value: SsoRole; label: string }> = [
  { value: 'owner', label: 'Owner' },
  { value: 'admin', label: 'Admin' },
  { value: 'operator', label: 'Operator' },
  { value: 'auditor', label: 'Auditor (read-only)' },
  { value: 'viewer', label: 'Viewer (read-only)' },
];

/** Settings' single sign-on: its own query and PUT, apart from the token policy's form. */
export function SsoSection() {
  const can = useCan();
  const sso = useSso();
  const save = useSaveSso();
  const remove = useRemoveSso();
  const [confirming, setConfirming] = useState(false);
  return (
    <Paper withBorder p="lg" radius="md" role="region" aria-label="Single sign-on" maw={880}>
      <Stack>
        <div>
          <Title order={2} size="h4">
            Single sign-on
          </Title>
          <Text size="sm" c="dimmed">
            People sign in through your identity provider (OpenID Connect). Their first sign-in creates them with the role their claims map to.
          </Text>
        </div>
        {sso.isPending ? (
          <LoadingState label="Loading single sign-on…" />
        ) : sso.isError ? (
          <ErrorState error={sso.error} onRetry={() => void sso.refetch()} />
        ) : (
          <>
            <SsoForm
              key={sso.data.config?.updatedAt ?? 'none'}
              overview={sso.data}
              writable={can('custos:policy:write')}
              pending={save.isPending}
              error={save.error}
              onSubmit={(body) =>
                save.mutate(body, { onSuccess: () => notifications.show({ color: 'green', title: 'Single sign-on saved', message: 'The IdP answered its discovery document.' }) })
              }
              onRemove={() => setConfirming(true)}
            />
            <ConfirmModal
              opened={confirming}
              title="Remove single sign-on?"
              confirmLabel="Remove"
              danger
              pending={remove.isPending}
              error={remove.error}
              onConfirm={() => remove.mutate(undefined, { onSuccess: () => setConfirming(false) })}
              onClose={() => setConfirming(false)}
            >
              Password log-in works again for everyone. People SSO created stay, without a password until one is set for them.
            </ConfirmModal>
          </>
        )}
      </Stack>
    </Paper>
  );
}

interface SsoFormProps {
  overview: SsoOverview;
  writable: boolean;
  pending: boolean;
  error: unknown;
  onSubmit: (body: SsoRequest) => void;
  onRemove: () => void;
}

const FORM_FIELDS = ['issuer', 'clientId', 'clientSecret', 'roleClaim', 'roleMapping', 'defaultRole', 'enforce'];

export function SsoForm({ overview, writable, pending, error, onSubmit, onRemove }: SsoFormProps) {
  const { config, tenantSlug, redirectUri } = overview;
  const [params] = useSearchParams();
  const tested = params.get('sso_test');
  const form = useForm<SsoFormValues>({ initialValues: ssoValuesOf(config), validate: (values) => validateSso(values, config !== null) });
  const server = placeFieldErrors(error, FORM_FIELDS, { roleMapping: 'roleClaim' });
  const field = (path: string) => {
    const own = form.errors[path];
    return { ...form.getInputProps(path), error: typeof own === 'string' ? own : server.errors[path] };
  };

  return (
    <form onSubmit={form.onSubmit((values) => onSubmit(toSsoRequest(values)))} noValidate>
      <Fieldset variant="unstyled" disabled={!writable}>
        <Stack>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Redirect URI to register at your IdP
            </Text>
            <Group gap="xs" wrap="nowrap">
              <Code aria-label="Redirect URI" style={{ wordBreak: 'break-all' }}>
                {redirectUri}
              </Code>
              <CopyButton value={redirectUri}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="light" color={copied ? 'teal' : undefined} onClick={copy}>
                    {copied ? 'Copied' : 'Copy'}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <Text size="xs" c="dimmed">
              People choose “Sign in with SSO” on the log-in page and enter your organization: <Code>{tenantSlug}</Code>
            </Text>
          </Stack>

          <TextInput label="Issuer" description="Custos reads its discovery document (/.well-known/openid-configuration) before saving." placeholder="https://login.example.com" required {...field('issuer')} />
          <TextInput label="Client id" required {...field('clientId')} />
          <PasswordInput
            label="Client secret"
            description={config ? 'Saved and sealed; it is never shown. Leave empty to keep it.' : 'Sealed when saved; it is never shown again.'}
            placeholder={config ? '••••••••  (saved)' : undefined}
            autoComplete="new-password"
            required={!config}
            {...field('clientSecret')}
          />
          <TextInput label="Role claim" description="The ID token claim with the person's groups or roles, e.g. groups. Empty: everyone gets the default role." {...field('roleClaim')} />

          <Fieldset legend="Role mapping" aria-label="Role mapping">
            <Stack gap="xs">
              {form.values.mapping.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No values mapped: everyone gets the default role.
                </Text>
              ) : null}
              {form.values.mapping.map((_row, index) => (
                <Group key={index} align="flex-start" role="group" aria-label={`Mapping ${index + 1}`}>
                  <TextInput label="Claim value" placeholder="custos-admins" {...field(`mapping.${index}.value`)} />
                  <Select label="Role" data={ROLE_OPTIONS} allowDeselect={false} {...field(`mapping.${index}.role`)} />
                  {writable ? (
                    <ActionIcon variant="subtle" color="red" mt={28} aria-label={`Remove mapping ${index + 1}`} onClick={() => form.removeListItem('mapping', index)}>
                      ×
                    </ActionIcon>
                  ) : null}
                </Group>
              ))}
              {writable ? (
                <Group>
                  <Button size="xs" variant="light" onClick={() => form.insertListItem('mapping', { value: '', role: 'viewer' })}>
                    Add mapping
                  </Button>
                </Group>
              ) : null}
            </Stack>
          </Fieldset>

          <Select label="Default role" description="For a person whose claims map to no role." data={ROLE_OPTIONS} allowDeselect={false} maw={320} {...field('defaultRole')} />
          <Switch
            label="Enforce single sign-on"
            description="Passwords stop working for everyone but you, the break-glass owner. Only an owner can turn this on."
            {...form.getInputProps('enforce', { type: 'checkbox' })}
          />
          {config?.enforce ? (
            <Text size="sm">
              Enforced. Break-glass owner: <Code>{config.breakGlassUserId}</Code>
            </Text>
          ) : null}

          {tested ? (
            <Alert color={tested === 'ok' ? 'green' : 'red'} title="Test sign-in finished">
              {tested === 'ok' ? 'The round trip through your IdP worked: what it sent is below.' : 'The test sign-in did not work: see why below.'}
            </Alert>
          ) : null}
          {config?.lastTest ? <LastTest test={config.lastTest} /> : null}
          {config ? (
            <Text size="xs" c="dimmed">
              Last changed {formatDateTime(config.updatedAt)}.
            </Text>
          ) : null}
          {error ? <ProblemAlert error={error} shownFields={server.placed} /> : null}
          {writable ? (
            <Group>
              <Button type="submit" loading={pending}>
                Save single sign-on
              </Button>
              {config ? (
                <>
                  <Button component="a" href={ssoTestUrl(tenantSlug)} variant="default">
                    Test sign-in
                  </Button>
                  <Button variant="subtle" color="red" onClick={onRemove}>
                    Remove
                  </Button>
                </>
              ) : null}
            </Group>
          ) : null}
        </Stack>
      </Fieldset>
    </form>
  );
}

/** The latest test sign-in: what the IdP sent and the role it would give, or what went wrong. */
function LastTest({ test }: { test: SsoTest }) {
  return (
    <Paper withBorder p="sm" radius="sm" role="region" aria-label="Last test sign-in">
      <Stack gap={4}>
        <Group gap="xs">
          <Text size="sm" fw={500}>
            Last test sign-in
          </Text>
          <Badge color={test.ok ? 'green' : 'red'}>{test.ok ? 'worked' : 'failed'}</Badge>
          <Text size="xs" c="dimmed">
            {formatDateTime(test.at)}
          </Text>
        </Group>
        {test.error ? <Text size="sm">{test.error}</Text> : null}
        {test.claims ? (
          <Text size="sm">
            E-mail <Code>{test.claims.email ?? '(none)'}</Code>
            {test.claims.emailVerified === false ? ' (not verified)' : ''}, role claim <Code>{JSON.stringify(test.claims.roleClaim)}</Code> → role{' '}
            <Code>{test.mappedRole}</Code>
            {test.existingUser ? ' (this person exists: their role stays as it is)' : ' (a first sign-in would create them)'}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}
