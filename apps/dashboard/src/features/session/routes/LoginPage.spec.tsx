/** @jest-environment jsdom */
import { afterEach, describe, expect, it } from '@jest/globals';
import { screen } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { setupUser } from '../../../test/user';
import { Route, Routes } from 'react-router';
import { fieldErrorOf } from '../../../test/dom';
import { renderWithApp, sessionWith } from '../../../test/render';
import { fakeApi, problem, type Answer, type ApiCall } from '../../../test/security-fixtures';
import { sessionKeys } from '../api/session.queries';
import { LoginPage } from './LoginPage';

const SESSION = sessionWith('owner', ['custos:tokens:read']);
const CHALLENGE = { mfaRequired: true, mfaToken: 'cmfa_1', methods: ['totp', 'recovery_code'], expiresAt: '2999-01-01T00:00:00.000Z' };

let restore = () => undefined as void;
afterEach(() => restore());

function renderLogin(answer: (call: ApiCall) => Answer | undefined) {
  const api = fakeApi(answer);
  restore = api.restore;
  renderWithApp(
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/tokens" element={<p>The tokens page</p>} />
    </Routes>,
    [[sessionKeys.me(), null]],
    '/login?next=%2Ftokens',
  );
  return api.calls;
}

async function typePassword(user: UserEvent) {
  await user.type(screen.getByRole('textbox', { name: /^E-mail/ }), 'me@acme.test');
  await user.type(screen.getByLabelText(/^Password/), 'correct horse battery staple');
  await user.click(screen.getByRole('button', { name: 'Log in' }));
}

const codeField = () => screen.getByRole('textbox', { name: /^Six-digit code/ });

describe('LoginPage', () => {
  it('asks for the code when the password is not enough, and signs in with it', async () => {
    const user = setupUser();
    const calls = renderLogin(({ path }) => (path === '/v1/auth/login' ? { status: 200, body: CHALLENGE } : { status: 200, body: SESSION }));
    await typePassword(user);
    expect((await screen.findByRole('heading', { name: 'Two-step verification' })).tagName).toBe('H2');
    await user.type(codeField(), '123 456');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    expect((await screen.findByText('The tokens page')).tagName).toBe('P');
    expect(calls.map((c) => [c.path, c.body])).toEqual([
      ['/v1/auth/login', { email: 'me@acme.test', password: 'correct horse battery staple' }],
      ['/v1/auth/mfa', { mfaToken: 'cmfa_1', code: '123456' }],
    ]);
  });

  it('asks a person with only a passkey for the passkey, without a code field', async () => {
    const user = setupUser();
    renderLogin(({ path }) => (path === '/v1/auth/login' ? { status: 200, body: { ...CHALLENGE, methods: ['webauthn'] } } : undefined));
    await typePassword(user);
    expect((await screen.findByText('Your account is protected with two-step verification. Confirm with your passkey.')).tagName).toBe('P');
    expect(screen.queryByRole('textbox', { name: /^Six-digit code/ })).toBeNull();
  });

  it('takes a recovery code instead', async () => {
    const user = setupUser();
    const calls = renderLogin(({ path }) => (path === '/v1/auth/login' ? { status: 200, body: CHALLENGE } : { status: 200, body: SESSION }));
    await typePassword(user);
    await user.click(await screen.findByRole('button', { name: 'Use a recovery code' }));
    await user.type(screen.getByRole('textbox', { name: /^Recovery code/ }), 'abcd-efgh-ijkl');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    await screen.findByText('The tokens page');
    expect(calls[1]?.body).toEqual({ mfaToken: 'cmfa_1', code: 'abcd-efgh-ijkl' });
  });

  it('says so under the field when the code is wrong, and how long to wait when throttled', async () => {
    const user = setupUser();
    let tries = 0;
    renderLogin(({ path }) => {
      if (path === '/v1/auth/login') return { status: 200, body: CHALLENGE };
      tries += 1;
      return tries === 1
        ? problem(401, 'INVALID_MFA', 'The code is wrong or was used already.')
        : problem(429, 'RATE_LIMITED', 'Too many log-in attempts; try again later.', { 'Retry-After': '42' });
    });
    await typePassword(user);
    await user.type(await screen.findByRole('textbox', { name: /^Six-digit code/ }), '000000');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    await screen.findByText(/That code is not right/);
    expect(fieldErrorOf(codeField())).toBe('That code is not right, or it was used already. Try the current one.');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    await screen.findByText(/Too many tries/);
    expect(fieldErrorOf(codeField())).toBe('Too many tries. Try again in 42 seconds.');
  });

  it('sends the person back to the password when the log-in has expired', async () => {
    const user = setupUser();
    renderLogin(({ path }) =>
      path === '/v1/auth/login' ? { status: 200, body: CHALLENGE } : problem(401, 'INVALID_MFA', 'The log-in has expired or is unknown: log in again.'),
    );
    await typePassword(user);
    await user.type(await screen.findByRole('textbox', { name: /^Six-digit code/ }), '123456');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    expect((await screen.findByRole('status')).textContent).toBe('That log-in took too long or had too many tries: enter your password again.');
    expect(screen.getByRole('heading', { name: 'Log in' }).tagName).toBe('H2');
    expect((screen.getByRole('textbox', { name: /^E-mail/ }) as HTMLInputElement).value).toBe('me@acme.test');
    expect((screen.getByLabelText(/^Password/) as HTMLInputElement).value).toBe('');
  });

  it('signs in at once when the account has no second factor', async () => {
    const user = setupUser();
    const calls = renderLogin(() => ({ status: 200, body: { mfaRequired: false, ...SESSION } }));
    await typePassword(user);
    await screen.findByText('The tokens page');
    expect(calls.map((c) => c.path)).toEqual(['/v1/auth/login']);
  });
});
