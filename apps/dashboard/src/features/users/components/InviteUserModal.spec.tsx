/** @jest-environment jsdom */
import { afterEach, describe, expect, it } from '@jest/globals';
import { screen } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { setupUser } from '../../../test/user';
import { fakeApiCalls, problemAnswer, type ApiCall, type Answer } from '../../../test/api-fake';
import { dialogTitleOf, fieldErrorOf } from '../../../test/dom';
import { renderWithApp } from '../../../test/render';
import { InviteUserModal } from './InviteUserModal';

const CHOICES = [
  { value: 'admin' as const, label: 'Admin' },
  { value: 'operator' as const, label: 'Operator' },
  { value: 'viewer' as const, label: 'Viewer (read-only)' },
];
const URL = 'https://custos.example.test/invitations/accept#token=cinv_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const created = (emailed: boolean) => ({
  id: 'inv_1',
  email: 'ana@acme.test',
  role: 'viewer',
  invitedBy: 'usr_1',
  createdAt: '2026-12-01T10:00:00.000Z',
  expiresAt: '2026-12-04T10:00:00.000Z',
  token: 'cinv_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  url: URL,
  emailed,
});

let restore = () => undefined as void;
afterEach(() => restore());

function renderModal(answer: (call: ApiCall) => Answer | undefined) {
  const api = fakeApiCalls(answer);
  restore = api.restore;
  renderWithApp(<InviteUserModal choices={CHOICES} onClose={() => undefined} />);
  return api.calls;
}

async function invite(user: UserEvent, email = 'ana@acme.test') {
  await user.type(screen.getByRole('textbox', { name: /^E-mail/ }), email);
  await user.click(screen.getByRole('button', { name: 'Invite' }));
}

describe('InviteUserModal', () => {
  it('invites with the e-mail and role, then shows the link once, to copy', async () => {
    const user = setupUser();
    const calls = renderModal(() => ({ status: 201, body: created(false) }));
    await invite(user);
    const link = (await screen.findByRole('textbox', { name: 'Invitation link' })) as HTMLInputElement;
    expect(link.value).toBe(URL);
    expect(link.readOnly).toBe(true);
    expect(calls.map((c) => [c.method, c.path, c.body])).toEqual([['POST', '/v1/invitations', { email: 'ana@acme.test', role: 'viewer' }]]);
    expect(dialogTitleOf(screen.getByRole('dialog'))).toBe('Invitation created');
    expect(screen.getByRole('button', { name: 'Copy the link' }).tagName).toBe('BUTTON');
    expect(screen.getByText(/only time the link is shown/).textContent).toContain('makes whoever opens it a viewer');
    expect(screen.getByText(/no e-mail is sent/).textContent).toContain('ana@acme.test');
  });

  it('says when the link also went out by e-mail', async () => {
    const user = setupUser();
    renderModal(() => ({ status: 201, body: created(true) }));
    await invite(user);
    expect((await screen.findByText(/We e-mailed this link/)).textContent).toContain('ana@acme.test');
  });

  it('checks the e-mail before sending, and shows the API’s refusal on its field', async () => {
    const user = setupUser();
    const calls = renderModal(() => problemAnswer(409, 'EMAIL_TAKEN', 'An account with this e-mail already exists.', [{ field: 'email', message: 'is already registered' }]));
    await invite(user, 'not-an-email');
    expect(fieldErrorOf(screen.getByRole('textbox', { name: /^E-mail/ }))).toBe('Enter a valid e-mail address');
    expect(calls).toEqual([]);
    await user.clear(screen.getByRole('textbox', { name: /^E-mail/ }));
    await invite(user, 'taken@acme.test');
    expect(await screen.findByText('is already registered')).toBeTruthy();
    expect(fieldErrorOf(screen.getByRole('textbox', { name: /^E-mail/ }))).toBe('is already registered');
    expect(screen.queryByRole('textbox', { name: 'Invitation link' })).toBeNull();
  });
});
