/** @jest-environment jsdom */
import { afterEach, describe, expect, it } from '@jest/globals';
import { ROLE_SCOPES } from '@custos/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import { setupUser } from '../../../test/user';
import { cellsOf, columnOf } from '../../../test/dom';
import { renderWithApp, sessionWith } from '../../../test/render';
import { fakeApi } from '../../../test/security-fixtures';
import { USERS, usersSeed } from '../../../test/user-fixtures';
import { sessionKeys } from '../../session/api/session.queries';
import { UsersPage } from './UsersPage';

const WITH_MFA = USERS.map((u) => (u.id === 'usr_ana' ? { ...u, mfaEnabled: true } : u));

let restore = () => undefined as void;
afterEach(() => restore());

const rowOf = (email: string) => screen.getByRole('cell', { name: email }).closest('tr') as HTMLElement;

describe('UsersPage: sign-in', () => {
  it('shows whether each person has two-step verification', () => {
    renderWithApp(<UsersPage />, [usersSeed(WITH_MFA)]);
    const on = within(rowOf('ana@acme.test')).getByText('On');
    expect(columnOf(on)).toBe('Two-step');
    expect(cellsOf(rowOf('bo@acme.test'))).toContain('Off');
  });

  it('lets an owner end all sessions of someone else, confirmed', async () => {
    const user = setupUser();
    const api = fakeApi(({ method }) => (method === 'DELETE' ? { status: 204 } : undefined));
    restore = api.restore;
    renderWithApp(<UsersPage />, [usersSeed(WITH_MFA)]);
    expect(within(rowOf('me@acme.test')).queryByRole('button', { name: /^End all sessions/ })).toBeNull();
    await user.click(within(rowOf('bo@acme.test')).getByRole('button', { name: 'End all sessions of bo@acme.test' }));
    const dialog = await screen.findByRole('dialog', { name: 'End all sessions of bo@acme.test?' });
    await user.click(within(dialog).getByRole('button', { name: 'End all sessions' }));
    // The page also reads the pending invitations: only the changes matter here.
    const changes = () => api.calls.filter((call) => call.method !== 'GET');
    await waitFor(() => expect(changes()).toEqual([{ method: 'DELETE', path: '/v1/users/{id}/sessions', body: undefined, pathParams: { id: 'usr_bo' } }]));
  });

  it('offers it to no one below admin', () => {
    renderWithApp(<UsersPage />, [[sessionKeys.me(), sessionWith('auditor', [...ROLE_SCOPES.auditor])], usersSeed(WITH_MFA)]);
    expect(screen.queryByRole('button', { name: /^End all sessions/ })).toBeNull();
  });
});
