/** @jest-environment jsdom */
import { describe, expect, it } from '@jest/globals';
import { fireEvent, screen, within } from '@testing-library/react';
import { columnOf } from '../../../test/dom';
import { renderWithApp } from '../../../test/render';
import type { AuditEvent } from '../api/audit.queries';
import { AuditEventTable } from './AuditEventTable';

function event(seq: number, targetType: string | null, targetId: string | null): AuditEvent {
  return {
    seq,
    action: `${targetType ?? 'tenant'}.changed`,
    actorId: 'usr_1',
    actorType: 'user',
    data: {},
    hash: 'ab'.repeat(32),
    prevHash: 'cd'.repeat(32),
    occurredAt: '2026-12-02T14:05:00.000Z',
    requestId: null,
    targetId,
    targetType,
  };
}

const EVENTS = [event(3, 'token', 'tok_9'), event(2, 'service', 'svc_4'), event(1, 'user', 'usr_7')];

describe('AuditEventTable', () => {
  it('links each target the dashboard has a page for: tokens and services', () => {
    renderWithApp(<AuditEventTable events={EVENTS} />);
    const token = screen.getByRole('link', { name: 'tok_9' });
    expect([columnOf(token), token.getAttribute('href')]).toEqual(['Target', '/tokens/tok_9']);
    expect(screen.getByRole('link', { name: 'svc_4' }).getAttribute('href')).toBe('/services/svc_4');
    // No page for a user: its id, as text.
    expect(screen.queryByRole('link', { name: 'usr_7' })).toBeNull();
    expect(columnOf(screen.getByText('usr_7'))).toBe('Target');
  });

  it("links the token from an event's detail too", async () => {
    renderWithApp(<AuditEventTable events={EVENTS} compact />);
    fireEvent.click(screen.getByRole('button', { name: 'Show event 3' }));
    const detail = within(await screen.findByRole('dialog'));
    expect(detail.getByRole('link', { name: 'tok_9' }).getAttribute('href')).toBe('/tokens/tok_9');
  });
});
