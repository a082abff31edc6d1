import { Alert, Anchor, Button, Checkbox, Code, Group, Paper, Stack, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { Link, useNavigate, useParams } from 'react-router';
import { useCan } from '../../../shared/auth/permissions';
import { PageHeader } from '../../../shared/components/PageHeader';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { EmptyState, ErrorState, LoadingState } from '../../../shared/components/states';
import { placeFieldErrors } from '../../../shared/forms/problem-fields';
import { EDIT_FIELDS, EDIT_SERVER_ALIASES, editValuesOf, isEditable, removedScopes, toPatchRequest, validateEditToken, type EditTokenValues } from '../api/edit-token.form';
import { useEditToken, useToken, type PatchTokenRequest, type Token } from '../api/tokens.queries';
import { GeofenceFields } from '../components/GeofenceFields';
import { RateLimitFields } from '../components/RateLimitFields';

/** `/tokens/:tokenId/edit`: rename, metadata, fewer scopes, tighter restrictions, geofence and rate limit (PATCH /v1/tokens/:id). */
export function EditTokenPage() {
  const { tokenId = '' } = useParams();
  const can = useCan();
  const token = useToken(tokenId);
  const edit = useEditToken(tokenId);
  const navigate = useNavigate();
  const back = `/tokens/${encodeURIComponent(tokenId)}`;

  if (!can('custos:tokens:update')) {
    return <EmptyState title="Your role cannot edit tokens">Ask an owner, admin or operator.</EmptyState>;
  }
  if (token.isPending) return <LoadingState label="Loading the token…" />;
  if (token.isError) return <ErrorState error={token.error} onRetry={() => void token.refetch()} />;
  const t = token.data;
  return (
    <>
      <Anchor component={Link} to={back} size="sm">
        ← {t.name}
      </Anchor>
      <PageHeader title={`Edit "${t.name}"`} description="Rename it, change its metadata, remove scopes, or tighten its restrictions, geofence and rate limit." />
      {isEditable(t.status) ? (
        <EditTokenForm
          key={t.updatedAt}
          token={t}
          pending={edit.isPending}
          error={edit.error}
          onCancel={() => void navigate(back)}
          onSubmit={(body) =>
            edit.mutate(body, {
              onSuccess: () => {
                notifications.show({ color: 'green', title: 'Saved', message: 'The token was updated.' });
                void navigate(back);
              },
            })
          }
        />
      ) : (
        <EmptyState title={`A ${t.status} token cannot be changed`}>Issue a new token instead.</EmptyState>
      )}
    </>
  );
}

interface EditTokenFormProps {
  token: Token;
  pending: boolean;
  error: unknown;
  onSubmit: (body: PatchTokenRequest) => void;
  onCancel: () => void;
}

/** Sends only what changed; the API's field errors appear next to their fields, the rest above the buttons. */
export function EditTokenForm({ token, pending, error, onSubmit, onCancel }: EditTokenFormProps) {
  const form = useForm<EditTokenValues>({ initialValues: editValuesOf(token), validate: validateEditToken });
  const server = placeFieldErrors(error, EDIT_FIELDS, EDIT_SERVER_ALIASES);
  const fieldError = (field: keyof EditTokenValues) => form.errors[field] ?? server.errors[field];
  const removed = removedScopes(token, form.values);

  return (
    <Paper withBorder p="lg" radius="md" maw={880}>
      <form onSubmit={form.onSubmit((values) => onSubmit(toPatchRequest(token, values)))} noValidate>
        <Stack>
          <TextInput label="Name" required maxLength={200} {...form.getInputProps('name')} error={fieldError('name')} />
          <Checkbox.Group
            label="Scopes"
            description="Untick a scope to remove it. Scopes can only be removed, never added: for more, issue a new token."
            {...form.getInputProps('scopes')}
            error={fieldError('scopes')}
          >
            {token.scopes.length === 0 ? (
              <Text size="sm" c="dimmed" mt="xs">
                This token has no scopes.
              </Text>
            ) : (
              <Group gap="md" mt="xs">
                {token.scopes.map((scope) => (
                  <Checkbox key={scope} value={scope} label={<Code>{scope}</Code>} />
                ))}
              </Group>
            )}
          </Checkbox.Group>
          {removed.length > 0 ? (
            <Alert color="orange" variant="light" title="Removing scopes" data-testid="removed-scopes">
              Saving removes {removed.join(', ')}. Requests that need {removed.length === 1 ? 'it' : 'them'} fail from then on, and a removed scope
              cannot be given back to this token.
            </Alert>
          ) : null}
          <TagsInput
            label="Allowed IP ranges"
            description="Tighten only: restrict a token open to any address, remove a range, or replace one with a narrower range inside it. Loosening needs an owner or admin."
            placeholder="Add an address or CIDR"
            splitChars={[',', ' ']}
            {...form.getInputProps('allowedCidrs')}
            error={fieldError('allowedCidrs')}
          />
          <GeofenceFields
            values={form.values}
            inputProps={(field) => ({ ...form.getInputProps(field), error: fieldError(field) })}
            residencyClearable={token.residencyRegion === null}
            description="Tighten only: a stronger mode, fewer allowed regions or countries, or a residency for a token without one. Loosening, or changing a set residency, needs an owner or admin."
          />
          <RateLimitFields
            values={form.values}
            inputProps={(field) => ({ ...form.getInputProps(field), error: fieldError(field) })}
            description={
              token.rateLimit
                ? 'Lower only: fewer uses, or the same uses over a longer window. Raising it, or emptying the field to lift it, needs an owner or admin.'
                : 'Verifies of this token per window, across every api instance; past it verify answers RATE_LIMITED.'
            }
          />
          <Textarea
            label="Metadata (JSON object)"
            description="Replaces the token's metadata; empty clears it"
            placeholder='{"team": "orders"}'
            autosize
            minRows={2}
            {...form.getInputProps('metadata')}
            error={fieldError('metadata')}
          />
          {error ? <ProblemAlert error={error} shownFields={server.placed} /> : null}
          <Group>
            <Button type="submit" loading={pending} disabled={!form.isDirty()}>
              Save changes
            </Button>
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
