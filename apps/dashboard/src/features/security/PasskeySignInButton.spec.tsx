/** @jest-environment jsdom */
import { describe, expect, it, jest } from '@jest/globals';
import { screen, waitFor } from '@testing-library/react';
import { setupUser } from '../../test/user';
import { ApiError } from '../../shared/api/http';
import { renderWithApp, sessionWith } from '../../test/render';
import { sessionKeys, type Session } from '../session/api/session.queries';
import { PasskeySignInButton, PasskeyStepUpButton } from './PasskeySignInButton';

const SESSION = sessionWith('admin', ['custos:tokens:read']);
const invalidMfa = (detail: string) => new ApiError({ type: 'about:blank', title: 'Unauthorized', status: 401, code: 'INVALID_MFA', detail });

describe('PasskeySignInButton', () => {
  it("completes the log-in with the log-in's mfaToken, keeps the session and hands it on", async () => {
    const user = setupUser();
    const signIn = jest.fn<(mfaToken: string) => Promise<Session>>().mockResolvedValue(SESSION);
    const onSignedIn = jest.fn();
    const { client } = renderWithApp(<PasskeySignInButton mfaToken="cmfa_1" onSignedIn={onSignedIn} signIn={signIn} />);
    await user.click(screen.getByRole('button', { name: 'Use a passkey' }));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(SESSION));
    expect(signIn).toHaveBeenCalledWith('cmfa_1');
    expect(client.getQueryData(sessionKeys.me())).toEqual(SESSION);
  });

  it('says a refused passkey and an ended log-in in words, and lets the person try again', async () => {
    const user = setupUser();
    const signIn = jest
      .fn<(mfaToken: string) => Promise<Session>>()
      .mockRejectedValueOnce(invalidMfa('The passkey was not accepted.'))
      .mockRejectedValueOnce(invalidMfa('The log-in has expired or is unknown: log in again.'));
    renderWithApp(<PasskeySignInButton mfaToken="cmfa_1" onSignedIn={jest.fn()} signIn={signIn} />);
    await user.click(screen.getByRole('button', { name: 'Use a passkey' }));
    expect((await screen.findByRole('alert')).textContent).toBe('That passkey was not accepted. Try again, or use another one.');
    await user.click(screen.getByRole('button', { name: 'Use a passkey' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('This log-in has ended: start over.'));
  });
});

describe('PasskeyStepUpButton', () => {
  it('reports the step-up done once the API took the passkey', async () => {
    const user = setupUser();
    const stepUp = jest.fn<() => Promise<void>>().mockResolvedValue(undefined);
    const done = jest.fn();
    renderWithApp(<PasskeyStepUpButton done={done} stepUp={stepUp} />);
    await user.click(screen.getByRole('button', { name: 'Use a passkey' }));
    await waitFor(() => expect(done).toHaveBeenCalledTimes(1));
  });
});
