import { Badge, Button, Code, Group, Modal, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useCan } from '../../../shared/auth/permissions';
import { Fact } from '../../../shared/components/Fact';
import { PageHeader } from '../../../shared/components/PageHeader';
import { EmptyState, ErrorState, LoadingState } from '../../../shared/components/states';
import { formatDateTime } from '../../../shared/format/format';
import { useCreateWebhook, useWebhooks, type Webhook, type WebhookWithSecret } from '../api/webhooks.queries';
import { DeliveriesTable } from '../components/DeliveriesTable';
import { WebhookActions } from '../components/WebhookActions';
import { WebhookForm } from '../components/WebhookForm';
import { WebhookSecretModal } from '../components/WebhookSecretModal';

function EnabledBadge({ enabled }: { enabled: boolean }) {
  return (
    <Badge color={enabled ? 'green' : 'gray'} variant="light" style={{ minWidth: 'max-content' }}>
      {enabled ? 'enabled' : 'disabled'}
    </Badge>
  );
}

/** Which secret signs: one, or the new and the old one until the grace period ends. */
function signingOf(webhook: Webhook): string {
  if (webhook.dualSigningUntil) return `new and old secret until ${formatDateTime(webhook.dualSigningUntil)}`;
  return webhook.rotatedAt ? `one secret, rotated ${formatDateTime(webhook.rotatedAt)}` : 'one secret, never rotated';
}

/**
 * Webhook endpoints and, for the one picked (`?webhook=` in the URL, the newest by default), its
 * details, actions and deliveries.
 */
export function WebhooksPage() {
  const can = useCan();
  const webhooks = useWebhooks();
  const [search, setSearch] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<WebhookWithSecret | null>(null);
  const writable = can('custos:webhooks:write');
  const items = webhooks.data ?? [];
  const selected = items.find((w) => w.id === search.get('webhook')) ?? items[0] ?? null;
  const select = (id: string | null) =>
    setSearch(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (id) next.set('webhook', id);
        else next.delete('webhook');
        return next;
      },
      { replace: true },
    );

  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Signed HTTP calls to your systems when tokens change (Standard Webhooks)."
        actions={writable ? <Button onClick={() => setCreating(true)}>New webhook</Button> : null}
      />
      {webhooks.isPending ? (
        <LoadingState label="Loading webhooks…" />
      ) : webhooks.isError ? (
        <ErrorState error={webhooks.error} onRetry={() => void webhooks.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="No webhooks yet">
          A webhook tells one of your systems, by a signed POST, when a token expires, is rotated, revoked or suspended, or a consent is withdrawn.
          {writable ? null : ' An owner or admin can add one.'}
        </EmptyState>
      ) : (
        <Stack gap="lg">
          <Table.ScrollContainer minWidth={720}>
            <Table striped highlightOnHover verticalSpacing="xs" aria-label="Webhooks">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>URL</Table.Th>
                  <Table.Th>Events</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Signing secret</Table.Th>
                  <Table.Th>Created</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((w) => (
                  <Table.Tr
                    key={w.id}
                    data-webhook-id={w.id}
                    aria-selected={w.id === selected?.id}
                    bg={w.id === selected?.id ? 'var(--mantine-color-blue-light)' : undefined}
                    style={{ cursor: 'pointer' }}
                    onClick={() => select(w.id)}
                  >
                    <Table.Td>
                      <Button variant="subtle" size="compact-sm" px={0} onClick={() => select(w.id)} style={{ wordBreak: 'break-all' }}>
                        {w.url}
                      </Button>
                      {w.description ? (
                        <Text size="xs" c="dimmed" lineClamp={1}>
                          {w.description}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{w.events.length === 1 ? w.events[0] : `${w.events.length} events`}</Text>
                    </Table.Td>
                    <Table.Td>
                      <EnabledBadge enabled={w.enabled} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{signingOf(w)}</Text>
                    </Table.Td>
                    <Table.Td>{formatDateTime(w.createdAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {selected ? <WebhookPanel key={selected.id} webhook={selected} writable={writable} onDeleted={() => select(null)} /> : null}
        </Stack>
      )}
      {creating ? (
        <CreateModal
          onClose={() => setCreating(false)}
          onCreated={(result) => {
            setCreating(false);
            setCreated(result);
            select(result.webhook.id);
          }}
        />
      ) : null}
      {created ? (
        <WebhookSecretModal title="Webhook created" secret={created.secret} onClose={() => setCreated(null)}>
          Give it to the receiver at {created.webhook.url}: any Standard Webhooks library verifies the deliveries with it. Send a test event to
          check.
        </WebhookSecretModal>
      ) : null}
    </>
  );
}

function WebhookPanel({ webhook, writable, onDeleted }: { webhook: Webhook; writable: boolean; onDeleted: () => void }) {
  return (
    <Paper withBorder p="md" radius="md" data-webhook-panel={webhook.id}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Stack gap={4}>
            <Group gap="xs">
              <Title order={2} size="h4" style={{ wordBreak: 'break-all' }}>
                {webhook.url}
              </Title>
              <EnabledBadge enabled={webhook.enabled} />
            </Group>
            {webhook.description ? (
              <Text size="sm" c="dimmed">
                {webhook.description}
              </Text>
            ) : null}
          </Stack>
          {writable ? <WebhookActions webhook={webhook} onDeleted={onDeleted} /> : null}
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
          <Fact label="Events">
            <Group gap={4}>
              {webhook.events.map((e) => (
                <Code key={e}>{e}</Code>
              ))}
            </Group>
          </Fact>
          <Fact label="Signing secret">{signingOf(webhook)}</Fact>
          <Fact label={webhook.enabled ? 'Last changed' : 'Disabled'}>{formatDateTime(webhook.enabled ? webhook.updatedAt : webhook.disabledAt)}</Fact>
          <Fact label="Id">
            <Code>{webhook.id}</Code>
          </Fact>
        </SimpleGrid>
        <DeliveriesTable webhook={webhook} canResend={writable && webhook.enabled} />
      </Stack>
    </Paper>
  );
}

function CreateModal({ onClose, onCreated }: { onClose: () => void; onCreated: (result: WebhookWithSecret) => void }) {
  const create = useCreateWebhook();
  return (
    <Modal opened onClose={onClose} title="New webhook" size="lg">
      <WebhookForm
        pending={create.isPending}
        error={create.error}
        onCancel={onClose}
        onSubmit={(body) =>
          create.mutate(body, {
            onSuccess: (result) => {
              notifications.show({ color: 'green', title: 'Webhook created', message: 'Copy its signing secret now.' });
              onCreated(result);
            },
          })
        }
      />
    </Modal>
  );
}
