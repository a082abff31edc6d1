/** @jest-environment jsdom */
import { afterEach, describe, expect, it } from '@jest/globals';
import { screen, waitFor } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { setupUser } from '../../../test/user';
import { fakeApiCalls, problemAnswer, type ApiCall, type Answer } from '../../../test/api-fake';
import { passwordErrorOf } from '../../../test/dom';
import { renderWithApp, sessionWith } from '../../../test/render';
import { sessionKeys } from '../api/session.queries';
import { ChangePasswordScreen } from './ChangePasswordScreen';

const RESTRICTED = { ...sessionWith('operator', ['custos:tokens:read']), restriction: 'password_change' as const };

let restore = () => undefined as void;
afterEach(() => restore());

function renderScreen(answer: (call: ApiCall) => Answer | undefined) {
  const api = fakeApiCalls(answer);
  restore = api.restore;
  renderWithApp(<ChangePasswordScreen />, [[sessionKeys.me(), RESTRICTED]], '/setup/password');
  return api.calls;
}

async function fill(user: UserEvent, current: string, next: string, again = next) {
  await user.type(screen.getByLabelText(/^Current password/), current);
  await user.type(screen.getByLabelText(/^New password/), next);
  await user.type(screen.getByLabelText(/^Repeat the new password/), again);
  await user.click(screen.getByRole('button', { name: 'Change password' }));
}

describe('ChangePasswordScreen', () => {
  it('changes the password someone else chose, then asks for the session again (now unrestricted)', async () => {
    const user = setupUser();
    const calls = renderScreen((call) => (call.path === '/v1/me/password' ? { status: 204 } : { status: 200, body: { authenticated: true, session: { ...RESTRICTED, restriction: null } } }));
    expect(screen.getByText(/was chosen by someone else/).textContent).toContain('me@acme.test');
    await fill(user, 'the one given to me', 'my very own passphrase');
    await waitFor(() => expect(calls.map((c) => [c.method, c.path])).toEqual([['POST', '/v1/me/password'], ['GET', '/v1/auth/session']]));
    expect(calls[0]!.body).toEqual({ currentPassword: 'the one given to me', newPassword: 'my very own passphrase' });
  });

  it('checks the length and the repetition before sending', async () => {
    const user = setupUser();
    const calls = renderScreen(() => undefined);
    await fill(user, 'the one given to me', 'too short', 'too short!');
    expect(passwordErrorOf(screen.getByLabelText(/^New password/))).toBe('Use at least 12 characters');
    expect(passwordErrorOf(screen.getByLabelText(/^Repeat the new password/))).toBe('The passwords do not match');
    expect(calls).toEqual([]);
  });

  it('shows a wrong current password on its field', async () => {
    const user = setupUser();
    renderScreen(() => problemAnswer(400, 'VALIDATION_FAILED', 'The current password is wrong.', [{ field: 'currentPassword', message: 'is not your current password' }]));
    await fill(user, 'a wrong guess', 'my very own passphrase');
    await screen.findByText('is not your current password');
    expect(passwordErrorOf(screen.getByLabelText(/^Current password/))).toBe('is not your current password');
  });
});
