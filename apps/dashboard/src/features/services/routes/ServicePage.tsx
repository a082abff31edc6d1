import { Anchor, Button, Code, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useCan } from '../../../shared/auth/permissions';
import { Fact } from '../../../shared/components/Fact';
import { PageHeader } from '../../../shared/components/PageHeader';
import { ErrorState, LoadingState } from '../../../shared/components/states';
import { formatDateTime } from '../../../shared/format/format';
import { useOverview } from '../../overview/api/overview.queries';
import { AttentionCounts, StatusCounts } from '../../overview/components/TokenCounts';
import { useService, type Service } from '../api/services.queries';
import { ServiceModal } from '../components/ServiceModal';
import { ServiceSteward } from '../components/ServiceSteward';

/** `/services/:serviceId`: the tokens a service owns, counted with links into the inventory, and its settings and steward. */
export function ServicePage() {
  const { serviceId = '' } = useParams();
  const can = useCan();
  const service = useService(serviceId);
  const [editing, setEditing] = useState(false);

  if (service.isPending) return <LoadingState label="Loading the service…" />;
  if (service.isError) return <ErrorState error={service.error} onRetry={() => void service.refetch()} />;
  const s = service.data;
  return (
    <>
      <Anchor component={Link} to="/services" size="sm">
        ← Services
      </Anchor>
      <PageHeader
        title={s.name}
        description={s.description ?? s.id}
        actions={can('custos:services:write') ? <Button onClick={() => setEditing(true)}>Edit</Button> : null}
      />
      <Stack>
        {can('custos:tokens:read') ? <ServiceTokens serviceId={s.id} /> : null}
        <ServiceSettings service={s} />
      </Stack>
      {editing ? <ServiceModal service={s} onClose={() => setEditing(false)} /> : null}
    </>
  );
}

function Section({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h5">
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </Paper>
  );
}

function ServiceTokens({ serviceId }: { serviceId: string }) {
  const overview = useOverview(serviceId);
  return (
    <Section
      title="Tokens"
      actions={
        <Anchor component={Link} to={`/tokens?service=${encodeURIComponent(serviceId)}`} size="sm">
          All its tokens in the inventory
        </Anchor>
      }
    >
      {overview.isPending ? (
        <LoadingState label="Counting its tokens…" />
      ) : overview.isError ? (
        <ErrorState error={overview.error} onRetry={() => void overview.refetch()} />
      ) : (
        <Stack>
          {Object.values(overview.data.byStatus).every((n) => n === 0) ? (
            <Text size="sm" c="dimmed">
              No token is owned by this service yet: pick it as the owner service when issuing one.
            </Text>
          ) : null}
          <StatusCounts overview={overview.data} serviceId={serviceId} />
          <AttentionCounts overview={overview.data} serviceId={serviceId} />
        </Stack>
      )}
    </Section>
  );
}

function ServiceSettings({ service }: { service: Service }) {
  return (
    <Section title="Settings">
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
        <Fact label="Allowed scopes">
          {service.allowedScopes.length === 0 ? (
            'any'
          ) : (
            <Group gap={4}>
              {service.allowedScopes.map((scope) => (
                <Code key={scope}>{scope}</Code>
              ))}
            </Group>
          )}
        </Fact>
        <Fact label="Contact">{service.ownerContact ?? '—'}</Fact>
        <ServiceSteward service={service} />
        <Fact label="Id">
          <Code>{service.id}</Code>
        </Fact>
        <Fact label="Created">{formatDateTime(service.createdAt)}</Fact>
        <Fact label="Updated">{formatDateTime(service.updatedAt)}</Fact>
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt="md">
        Public key (JWK): scheduled rotations deliver the new secret encrypted to it
      </Text>
      {service.publicJwk ? (
        <Code block mt={4}>
          {JSON.stringify(service.publicJwk, null, 2)}
        </Code>
      ) : (
        <Text size="sm">none registered</Text>
      )}
    </Section>
  );
}
