/** @jest-environment jsdom */
import { afterEach, describe, expect, it } from '@jest/globals';
import { screen } from '@testing-library/react';
import { setupUser } from '../../../test/user';
import { Route, Routes } from 'react-router';
import { fakeApiCalls, problemAnswer, type ApiCall, type Answer } from '../../../test/api-fake';
import { passwordErrorOf } from '../../../test/dom';
import { renderWithApp, sessionWith } from '../../../test/render';
import { sessionKeys } from '../../session/api/session.queries';
import { invitationTokenOf } from '../api/invitations.queries';
import { AcceptInvitationPage } from './AcceptInvitationPage';

const TOKEN = 'cinv_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const PREVIEW = { email: 'ana@acme.test', role: 'operator', organization: 'Acme Corp', expiresAt: '2026-12-04T10:00:00.000Z' };
const SESSION = { ...sessionWith('operator', ['custos:tokens:read']), user: { ...sessionWith('operator', []).user, email: 'ana@acme.test' } };

let restore = () => undefined as void;
afterEach(() => restore());

function renderPage(hash: string, answer: (call: ApiCall) => Answer | undefined) {
  const api = fakeApiCalls(answer);
  restore = api.restore;
  const rendered = renderWithApp(
    <Routes>
      <Route path="/invitations/accept" element={<AcceptInvitationPage />} />
      <Route path="/overview" element={<p>The overview</p>} />
    </Routes>,
    [[sessionKeys.me(), null]],
    `/invitations/accept${hash}`,
  );
  return { calls: api.calls, client: rendered.client };
}

const password = () => screen.getByLabelText(/^Password/, { selector: 'input' });
const repeat = () => screen.getByLabelText(/^Repeat the password/);

describe('AcceptInvitationPage', () => {
  it('shows what the link invites to, and signs in with the password chosen', async () => {
    const user = setupUser();
    const { calls, client } = renderPage(`#token=${TOKEN}`, (call) => (call.method === 'GET' ? { status: 200, body: PREVIEW } : { status: 200, body: SESSION }));
    const intro = await screen.findByText(/You are invited to/);
    expect(intro.textContent).toBe('You are invited to Acme Corp as operator, with the e-mail ana@acme.test. Choose your password to sign in.');
    expect(screen.getByRole('list', { name: 'Rules for the password' }).textContent).toContain('at least 12 characters');

    await user.type(password(), 'correct horse battery staple');
    await user.type(repeat(), 'correct horse battery stapler');
    await user.click(screen.getByRole('button', { name: 'Join Acme Corp' }));
    expect(passwordErrorOf(repeat())).toBe('The passwords do not match');

    await user.clear(repeat());
    await user.type(repeat(), 'correct horse battery staple');
    await user.click(screen.getByRole('button', { name: 'Join Acme Corp' }));
    expect((await screen.findByText('The overview')).tagName).toBe('P');
    expect(calls.map((c) => [c.method, c.path, c.params, c.body])).toEqual([
      ['GET', '/v1/invitations/{token}', { token: TOKEN }, undefined],
      ['POST', '/v1/invitations/{token}/accept', { token: TOKEN }, { password: 'correct horse battery staple' }],
    ]);
    // The answer is the session: the app needs no further request to know who is signed in.
    expect(client.getQueryData(sessionKeys.me())).toEqual(SESSION);
  });

  it('shows the password rules the API refused on the field', async () => {
    const user = setupUser();
    renderPage(`#token=${TOKEN}`, (call) =>
      call.method === 'GET'
        ? { status: 200, body: PREVIEW }
        : problemAnswer(400, 'VALIDATION_FAILED', 'The password does not meet the password rules.', [
            { field: 'password', message: 'is one of the most common passwords: choose another' },
          ]),
    );
    await user.type(await screen.findByLabelText(/^Password/, { selector: 'input' }), 'qwerty123456');
    await user.type(repeat(), 'qwerty123456');
    await user.click(screen.getByRole('button', { name: 'Join Acme Corp' }));
    await screen.findByText('is one of the most common passwords: choose another');
    expect(passwordErrorOf(password())).toBe('is one of the most common passwords: choose another');
  });

  it('says a dead link does not work: unknown, expired or used alike, and a missing token', async () => {
    renderPage(`#token=${TOKEN}`, () => problemAnswer(404, 'NOT_FOUND', 'This invitation was not found.'));
    expect((await screen.findByText('This invitation link does not work')).textContent).toBe('This invitation link does not work');
    restore();
    const { calls } = renderPage('', () => undefined);
    expect(screen.getAllByText('This invitation link does not work').length).toBeGreaterThan(0);
    expect(calls).toEqual([]);
  });

  it('reads the token from the fragment only, and only a well-formed one', () => {
    expect(invitationTokenOf(`#token=${TOKEN}`)).toBe(TOKEN);
    expect(invitationTokenOf('')).toBeNull();
    expect(invitationTokenOf('#token=cus_live_x')).toBeNull();
    expect(invitationTokenOf('#token=cinv_short')).toBeNull();
  });
});
