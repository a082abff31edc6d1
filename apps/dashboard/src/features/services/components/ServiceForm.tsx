import { Button, Group, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { fieldErrorsOf } from '../../../shared/forms/problem-fields';
import type { CreateServiceRequest, Service } from '../api/services.queries';

const FIELDS = ['name', 'description', 'ownerContact', 'allowedScopes', 'publicJwk'] as const;
const SCOPE_PATTERN = /^[a-z0-9][a-z0-9_.:-]{0,127}$/;

interface ServiceFormProps {
  service?: Service;
  pending: boolean;
  error: unknown;
  onSubmit: (body: CreateServiceRequest) => void;
  onCancel: () => void;
}

/** Create and edit share one form; an empty field clears the value (sent as null). */
export function ServiceForm({ service, pending, error, onSubmit, onCancel }: ServiceFormProps) {
  const form = useForm({
    initialValues: {
      name: service?.name ?? '',
      description: service?.description ?? '',
      ownerContact: service?.ownerContact ?? '',
      allowedScopes: service?.allowedScopes ?? [],
      publicJwk: service?.publicJwk ? JSON.stringify(service.publicJwk, null, 2) : '',
    },
    validate: {
      name: (v) => (v.trim() && v.trim().length <= 100 ? null : 'A name of 1 to 100 characters'),
      allowedScopes: (v) => {
        const bad = v.find((s) => !SCOPE_PATTERN.test(s));
        return bad === undefined ? null : `"${bad}" is not a scope`;
      },
      publicJwk: (v) => {
        if (!v.trim()) return null;
        try {
          const parsed: unknown = JSON.parse(v);
          return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? null : 'Must be a JSON object (a public JWK)';
        } catch {
          return 'Must be valid JSON';
        }
      },
    },
  });
  const server = fieldErrorsOf(error, FIELDS);

  return (
    <form
      onSubmit={form.onSubmit((v) =>
        onSubmit({
          name: v.name.trim(),
          description: v.description.trim() || null,
          ownerContact: v.ownerContact.trim() || null,
          allowedScopes: v.allowedScopes,
          publicJwk: v.publicJwk.trim() ? (JSON.parse(v.publicJwk) as Record<string, unknown>) : null,
        }),
      )}
      noValidate
    >
      <Stack>
        <TextInput label="Name" required {...form.getInputProps('name')} error={form.errors.name ?? server.name} />
        <Textarea label="Description" autosize {...form.getInputProps('description')} error={form.errors.description ?? server.description} />
        <TextInput label="Contact" placeholder="team@example.com" {...form.getInputProps('ownerContact')} error={form.errors.ownerContact ?? server.ownerContact} />
        <TagsInput
          label="Allowed scopes"
          description="Press Enter after each, e.g. orders:read. Tokens owned by this service may carry only these"
          splitChars={[',', ' ']}
          {...form.getInputProps('allowedScopes')}
          error={form.errors.allowedScopes ?? server.allowedScopes}
        />
        <Textarea
          label="Public key (JWK)"
          description="EC or RSA public key; scheduled rotations deliver the new secret encrypted to it"
          autosize
          minRows={2}
          {...form.getInputProps('publicJwk')}
          error={form.errors.publicJwk ?? server.publicJwk}
        />
        {error ? <ProblemAlert error={error} shownFields={FIELDS} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={pending}>
            {service ? 'Save' : 'Create service'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
