import { Anchor, Button, Code, Group, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useCan } from '../../../shared/auth/permissions';
import { PageHeader } from '../../../shared/components/PageHeader';
import { EmptyState, ErrorState, LoadingState } from '../../../shared/components/states';
import { formatDateTime } from '../../../shared/format/format';
import { useServices, type Service } from '../api/services.queries';
import { ServiceModal } from '../components/ServiceModal';

export function ServicesPage() {
  const can = useCan();
  const services = useServices();
  const [editing, setEditing] = useState<Service | 'new' | null>(null);
  const writable = can('custos:services:write');

  return (
    <>
      <PageHeader
        title="Services"
        description="Systems that own or use tokens."
        actions={writable ? <Button onClick={() => setEditing('new')}>New service</Button> : null}
      />
      {services.isPending ? (
        <LoadingState label="Loading services…" />
      ) : services.isError ? (
        <ErrorState error={services.error} onRetry={() => void services.refetch()} />
      ) : services.data.length === 0 ? (
        <EmptyState title="No services yet">A service groups the tokens of one system and limits the scopes they may carry.</EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped verticalSpacing="xs" aria-label="Services">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Allowed scopes</Table.Th>
                <Table.Th>Contact</Table.Th>
                <Table.Th>Public key</Table.Th>
                <Table.Th>Created</Table.Th>
                {writable ? <Table.Th aria-label="Actions" /> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {services.data.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/services/${encodeURIComponent(s.id)}`} size="sm" fw={500}>
                      {s.name}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {s.description ?? s.id}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>{s.allowedScopes.length === 0 ? <Text size="sm">any</Text> : s.allowedScopes.map((x) => <Code key={x}>{x}</Code>)}</Group>
                  </Table.Td>
                  <Table.Td>{s.ownerContact ?? '—'}</Table.Td>
                  <Table.Td>{s.publicJwk ? 'registered' : '—'}</Table.Td>
                  <Table.Td>{formatDateTime(s.createdAt)}</Table.Td>
                  {writable ? (
                    <Table.Td>
                      <Button size="xs" variant="default" onClick={() => setEditing(s)} aria-label={`Edit ${s.name}`}>
                        Edit
                      </Button>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing !== null ? <ServiceModal service={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} /> : null}
    </>
  );
}
