/** @jest-environment jsdom */
import { describe, expect, it } from '@jest/globals';
import { fireEvent, screen, within } from '@testing-library/react';
import { cellsOf, columnOf, factOf } from '../../../test/dom';
import { renderWithApp } from '../../../test/render';
import type { AuditEvent } from '../api/audit.queries';
import { AuditEventTable } from './AuditEventTable';

function event(seq: number, targetType: string | null, targetId: string | null, over: Partial<AuditEvent> = {}): AuditEvent {
  return {
    seq,
    action: `${targetType ?? 'tenant'}.changed`,
    actorId: 'usr_1',
    actorType: 'user',
    actor: null,
    data: {},
    hash: 'ab'.repeat(32),
    prevHash: 'cd'.repeat(32),
    occurredAt: '2026-12-02T14:05:00.000Z',
    requestId: null,
    targetId,
    targetType,
    targetActor: null,
    ...over,
  };
}

const EVENTS = [event(3, 'token', 'tok_9'), event(2, 'service', 'svc_4'), event(1, 'user', 'usr_7')];

const owner = { id: 'usr_owner', kind: 'user', email: 'owner@acme.test', name: null, removedAt: null } as const;
const removed = { id: 'usr_ana', kind: 'user', email: 'ana@acme.test', name: null, removedAt: '2026-02-01T10:00:00.000Z' } as const;
const key = { id: 'tok_key', kind: 'service_key', email: null, name: 'Billing', removedAt: null } as const;

const NAMED = [
  event(3, 'user', 'usr_ana', { action: 'user.removed', actorId: 'usr_owner', actor: owner, targetActor: removed }),
  event(2, 'token', 'tok_new', { action: 'token.issued', actorType: 'service_key', actorId: 'tok_key', actor: key }),
  event(1, 'checkpoint', 'ckp_1', { action: 'audit.checkpoint_signed', actorType: 'system', actorId: null }),
];

const rowOf = (action: string) => document.querySelector<HTMLElement>(`[data-audit-action="${action}"]`)!;

describe('AuditEventTable', () => {
  it('links each target the dashboard has a page for: tokens and services', () => {
    renderWithApp(<AuditEventTable events={EVENTS} />);
    const token = screen.getByRole('link', { name: 'tok_9' });
    expect([columnOf(token), token.getAttribute('href')]).toEqual(['Target', '/tokens/tok_9']);
    expect(screen.getByRole('link', { name: 'svc_4' }).getAttribute('href')).toBe('/services/svc_4');
    // No page for a user: its id, as text (this one names no one the API knows).
    expect(screen.queryByRole('link', { name: 'usr_7' })).toBeNull();
    expect(columnOf(screen.getByText('usr_7'))).toBe('Target');
  });

  it("links the token from an event's detail too", async () => {
    renderWithApp(<AuditEventTable events={EVENTS} compact />);
    fireEvent.click(screen.getByRole('button', { name: 'Show event 3' }));
    const detail = within(await screen.findByRole('dialog'));
    expect(detail.getByRole('link', { name: 'tok_9' }).getAttribute('href')).toBe('/tokens/tok_9');
  });

  it('names actors and people targeted by e-mail or service name, the id in the title', () => {
    renderWithApp(<AuditEventTable events={NAMED} />);
    const actor = within(rowOf('user.removed')).getByText('owner@acme.test');
    expect([columnOf(actor), actor.getAttribute('title')]).toEqual(['Actor', 'user usr_owner']);
    const target = within(rowOf('user.removed')).getByText('ana@acme.test (removed)');
    expect([columnOf(target), target.getAttribute('title')]).toEqual(['Target', 'user usr_ana']);
    expect(cellsOf(rowOf('token.issued'))).toEqual(expect.arrayContaining(['Billing', 'tok_new']));
    expect(within(rowOf('token.issued')).getByText('Billing').getAttribute('title')).toBe('service key tok_key');
    expect(cellsOf(rowOf('audit.checkpoint_signed'))).toContain('system');
  });

  it("shows in an event's detail who acted beside the id the event records", async () => {
    renderWithApp(<AuditEventTable events={NAMED} />);
    fireEvent.click(screen.getByRole('button', { name: 'Show event 3' }));
    const drawer = await screen.findByRole('dialog');
    expect(factOf(drawer, 'Actor')).toBe('owner@acme.test — user usr_owner');
    expect(factOf(drawer, 'Target')).toBe('ana@acme.test (removed) — user usr_ana');
  });
});
