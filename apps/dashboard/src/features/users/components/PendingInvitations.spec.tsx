/** @jest-environment jsdom */
import { afterEach, describe, expect, it } from '@jest/globals';
import { screen, waitFor, within } from '@testing-library/react';
import { setupUser } from '../../../test/user';
import { fakeApiCalls, type ApiCall, type Answer } from '../../../test/api-fake';
import { cellsOf } from '../../../test/dom';
import { renderWithApp } from '../../../test/render';
import { invitationKeys, type Invitation } from '../../invitations/api/invitations.queries';
import { PendingInvitations } from './PendingInvitations';

const INVITATIONS: Invitation[] = [
  { id: 'inv_1', email: 'ana@acme.test', role: 'operator', invitedBy: 'usr_1', createdAt: '2026-12-01T10:00:00.000Z', expiresAt: '2026-12-04T10:00:00.000Z' },
  { id: 'inv_2', email: 'bo@acme.test', role: 'viewer', invitedBy: 'tok_key', createdAt: '2026-12-01T11:00:00.000Z', expiresAt: '2026-12-04T11:00:00.000Z' },
];
const PEOPLE = [{ id: 'usr_1', email: 'me@acme.test' }];

let restore = () => undefined as void;
afterEach(() => restore());

function renderList(writable: boolean, answer: (call: ApiCall) => Answer | undefined = () => undefined) {
  const api = fakeApiCalls(answer);
  restore = api.restore;
  renderWithApp(<PendingInvitations writable={writable} people={PEOPLE} />, [[invitationKeys.pending(), INVITATIONS]]);
  return api.calls;
}

describe('PendingInvitations', () => {
  it('lists who was invited to what, by whom, until when', () => {
    renderList(false);
    const table = screen.getByRole('table', { name: 'Pending invitations' });
    const rows = within(table).getAllByRole('row').slice(1).map(cellsOf);
    expect(rows.map((cells) => cells.slice(0, 3))).toEqual([
      ['ana@acme.test', 'operator', 'me@acme.test'],
      ['bo@acme.test', 'viewer', 'tok_key'],
    ]);
    // Without custos:users:write there is nothing to revoke with.
    expect(screen.queryByRole('button', { name: /^Revoke/ })).toBeNull();
  });

  it('revokes after asking', async () => {
    const user = setupUser();
    const calls = renderList(true, (call) => (call.method === 'DELETE' ? { status: 204 } : { status: 200, body: { items: [INVITATIONS[1]] } }));
    await user.click(screen.getByRole('button', { name: 'Revoke the invitation of ana@acme.test' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'DELETE')).toEqual([{ method: 'DELETE', path: '/v1/invitations/{id}', params: { id: 'inv_1' }, body: undefined }]));
  });

  it('shows nothing when no invitation waits', () => {
    restore = fakeApiCalls(() => undefined).restore;
    const { container } = renderWithApp(<PendingInvitations writable people={PEOPLE} />, [[invitationKeys.pending(), []]]);
    expect(container.querySelector('table')).toBeNull();
  });
});
