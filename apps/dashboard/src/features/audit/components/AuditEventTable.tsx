import { Anchor, Code, Drawer, ScrollArea, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { ActorName } from '../../../shared/components/ActorName';
import { ObjectLink } from '../../../shared/components/ObjectLink';
import { actorLabel, type Actor } from '../../../shared/format/actor';
import { formatDateTime } from '../../../shared/format/format';
import type { AuditEvent } from '../api/audit.queries';

/** Targets the dashboard has a page for link there; a person reads as their e-mail. */
function TargetLink({ event, onNavigate }: { event: AuditEvent; onNavigate?: () => void }) {
  if (!event.targetId) return <>—</>;
  if (event.targetActor) {
    return (
      <Text size="sm" span>
        <ActorName id={event.targetId} actor={event.targetActor} />
      </Text>
    );
  }
  return <ObjectLink id={event.targetId} type={event.targetType} {...(onNavigate ? { onNavigate } : {})} />;
}

export function AuditEventTable({ events, compact = false }: { events: AuditEvent[]; compact?: boolean }) {
  const [open, setOpen] = useState<AuditEvent | null>(null);
  return (
    <>
      <Table.ScrollContainer minWidth={compact ? 360 : 720}>
        <Table striped highlightOnHover verticalSpacing="xs" aria-label="Audit events">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>When</Table.Th>
              <Table.Th>Action</Table.Th>
              {compact ? null : <Table.Th>Actor</Table.Th>}
              {compact ? null : <Table.Th>Target</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {events.map((event) => (
              <Table.Tr key={event.seq} data-audit-action={event.action}>
                <Table.Td>
                  <Anchor component="button" type="button" size="sm" onClick={() => setOpen(event)} aria-label={`Show event ${event.seq}`}>
                    {event.seq}
                  </Anchor>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(event.occurredAt)}</Table.Td>
                <Table.Td>
                  <Code>{event.action}</Code>
                </Table.Td>
                {compact ? null : (
                  <Table.Td>
                    <Text size="sm">
                      <ActorName id={event.actorId} actor={event.actor} none={event.actorType} />
                    </Text>
                  </Table.Td>
                )}
                {compact ? null : (
                  <Table.Td>
                    <TargetLink event={event} />
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Drawer opened={open !== null} onClose={() => setOpen(null)} position="right" size="lg" title={open ? `Audit event ${open.seq}` : ''}>
        {open ? <AuditEventDetail event={open} onNavigate={() => setOpen(null)} /> : null}
      </Drawer>
    </>
  );
}

/** Who an event names and, beside it, what the event itself records: "ana@acme.test — user usr_…". */
function named(type: string | null, id: string | null, actor: Actor | null, none: string): string {
  if (!id) return none;
  const recorded = `${type ?? ''} ${id}`.trim();
  return actor ? `${actorLabel(id, actor)} — ${recorded}` : recorded;
}

function AuditEventDetail({ event, onNavigate }: { event: AuditEvent; onNavigate: () => void }) {
  const rows: Array<[string, ReactNode]> = [
    ['Action', event.action],
    ['When', formatDateTime(event.occurredAt)],
    ['Actor', named(event.actorType, event.actorId, event.actor, event.actorType)],
    [
      'Target',
      event.targetActor ? (
        named(event.targetType, event.targetId, event.targetActor, '—')
      ) : (
        <>
          {event.targetId && event.targetType ? `${event.targetType} ` : ''}
          <TargetLink event={event} onNavigate={onNavigate} />
        </>
      ),
    ],
    ['Request', event.requestId ?? '—'],
  ];
  return (
    <Stack>
      <SimpleGrid cols={2} spacing="xs">
        {rows.map(([label, value]) => (
          <div key={label}>
            <Text size="xs" c="dimmed">
              {label}
            </Text>
            <Text size="sm" component="div">
              {value}
            </Text>
          </div>
        ))}
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        Data
      </Text>
      <ScrollArea.Autosize mah={320}>
        <Code block>{JSON.stringify(event.data, null, 2)}</Code>
      </ScrollArea.Autosize>
      <Text size="xs" c="dimmed">
        Previous hash
      </Text>
      <Code style={{ wordBreak: 'break-all' }}>{event.prevHash}</Code>
      <Text size="xs" c="dimmed">
        Hash
      </Text>
      <Code style={{ wordBreak: 'break-all' }}>{event.hash}</Code>
    </Stack>
  );
}
