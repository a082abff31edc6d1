import { Button, Code, Group, Modal, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useCan } from '../../../shared/auth/permissions';
import { PageHeader } from '../../../shared/components/PageHeader';
import { EmptyState, ErrorState, LoadingState } from '../../../shared/components/states';
import { formatDateTime } from '../../../shared/format/format';
import { useCreateService, useServices, useUpdateService, type Service } from '../api/services.queries';
import { ServiceForm } from '../components/ServiceForm';

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
                    <Text size="sm" fw={500}>
                      {s.name}
                    </Text>
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

function ServiceModal({ service, onClose }: { service: Service | undefined; onClose: () => void }) {
  const create = useCreateService();
  const update = useUpdateService();
  const mutation = service ? update : create;
  const saved = () => {
    notifications.show({ color: 'green', title: 'Saved', message: service ? 'The service was updated.' : 'The service was created.' });
    onClose();
  };
  return (
    <Modal opened onClose={onClose} title={service ? `Edit ${service.name}` : 'New service'} size="lg">
      <ServiceForm
        {...(service ? { service } : {})}
        pending={mutation.isPending}
        error={mutation.error}
        onCancel={onClose}
        onSubmit={(body) => (service ? update.mutate({ id: service.id, body }, { onSuccess: saved }) : create.mutate(body, { onSuccess: saved }))}
      />
    </Modal>
  );
}
