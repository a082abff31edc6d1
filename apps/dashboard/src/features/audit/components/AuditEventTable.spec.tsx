/** @jest-environment jsdom */
import { describe, expect, it } from '@jest/globals';
import { fireEvent, screen, within } from '@testing-library/react';
import { renderWithApp } from '../../../test/render';
import { cellsOf, columnOf, factOf } from '../../../test/dom';
import type { AuditEvent } from '../api/audit.queries';
import { AuditEventTable } from './AuditEventTable';

function event(seq: number, over: Partial<AuditEvent>): AuditEvent {
  return {
    seq,
    occurredAt: '2026-02-01T10:00:00.000Z',
    action: 'token.issued',
    actorType: 'user',
    actorId: null,
    actor: null,
    targetType: null,
    targetId: null,
    targetActor: null,
    requestId: null,
    data: {},
    prevHash: '0'.repeat(64),
    hash: '1'.repeat(64),
    ...over,
  };
}

const owner = { id: 'usr_owner', kind: 'user', email: 'owner@acme.test', name: null, removedAt: null } as const;
const removed = { id: 'usr_ana', kind: 'user', email: 'ana@acme.test', name: null, removedAt: '2026-02-01T10:00:00.000Z' } as const;
const key = { id: 'tok_key', kind: 'service_key', email: null, name: 'Billing', removedAt: null } as const;

const events = [
  event(3, { action: 'user.removed', actorId: 'usr_owner', actor: owner, targetType: 'user', targetId: 'usr_ana', targetActor: removed }),
  event(2, { actorType: 'service_key', actorId: 'tok_key', actor: key, targetType: 'token', targetId: 'tok_new' }),
  event(1, { action: 'audit.checkpoint_signed', actorType: 'system' }),
];

const rowOf = (action: string) => document.querySelector(`[data-audit-action="${action}"]`)!;

describe('AuditEventTable', () => {
  it('names actors and people targeted by e-mail or service name, the id in the title', () => {
    renderWithApp(<AuditEventTable events={events} />);
    const actor = within(rowOf('user.removed') as HTMLElement).getByText('owner@acme.test');
    expect([columnOf(actor), actor.getAttribute('title')]).toEqual(['Actor', 'user usr_owner']);
    const target = within(rowOf('user.removed') as HTMLElement).getByText('ana@acme.test (removed)');
    expect([columnOf(target), target.getAttribute('title')]).toEqual(['Target', 'user usr_ana']);
    expect(cellsOf(rowOf('token.issued'))).toEqual(expect.arrayContaining(['Billing', 'tok_new']));
    expect(within(rowOf('token.issued') as HTMLElement).getByText('Billing').getAttribute('title')).toBe('service key tok_key');
    expect(cellsOf(rowOf('audit.checkpoint_signed'))).toContain('system');
  });

  it("shows in an event's details who acted beside the id the event records", async () => {
    renderWithApp(<AuditEventTable events={events} />);
    fireEvent.click(screen.getByRole('button', { name: 'Show event 3' }));
    const drawer = await screen.findByRole('dialog');
    expect(factOf(drawer, 'Actor')).toBe('owner@acme.test — user usr_owner');
    expect(factOf(drawer, 'Target')).toBe('ana@acme.test (removed) — user usr_ana');
  });
});
