/** @jest-environment jsdom */
import { describe, expect, it, jest } from '@jest/globals';
import { screen, waitFor, within } from '@testing-library/react';
import { setupUser } from '../../test/user';
import { renderWithApp } from '../../test/render';
import { passkeyKeys, type Passkey } from './api/passkeys.queries';
import { PasskeysCard, passkeyName } from './PasskeysCard';

const LAPTOP: Passkey = { id: 'pky_laptop', name: 'Work laptop', createdAt: '2026-11-02T09:30:00.000Z', lastUsedAt: null };
const KEY: Passkey = { id: 'pky_key', name: 'YubiKey', createdAt: '2026-11-03T09:30:00.000Z', lastUsedAt: '2026-12-01T08:00:00.000Z' };

function renderCard(passkeys: Passkey[], register = jest.fn<(name: string) => Promise<Passkey>>()) {
  const result = renderWithApp(<PasskeysCard register={register} />, [[passkeyKeys.list(), passkeys]]);
  return { ...result, register };
}

describe('PasskeysCard', () => {
  it("lists the person's passkeys with when they were added and last used, each with rename and remove", () => {
    renderCard([LAPTOP, KEY]);
    const card = screen.getByRole('region', { name: 'Passkeys' });
    expect(within(card).getByText('2 registered')).toBeTruthy();
    const rows = within(screen.getByRole('table', { name: 'Passkeys' })).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[0]!.textContent)).toEqual(['Work laptop', 'YubiKey']);
    expect(within(rows[0]!).getByText('Never')).toBeTruthy();
    expect(within(rows[1]!).queryByText('Never')).toBeNull();
    expect(screen.getByRole('button', { name: 'Rename YubiKey' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Remove Work laptop' })).toBeTruthy();
  });

  it('says there are none yet, and asks for a name before registering one', async () => {
    const user = setupUser();
    const { register } = renderCard([]);
    expect(screen.getByText(/No passkeys yet/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Add a passkey' }));
    expect(screen.getByText('Give the passkey a name, e.g. the device it is on')).toBeTruthy();
    expect(register).not.toHaveBeenCalled();

    register.mockResolvedValue({ ...LAPTOP, name: 'Phone' });
    await user.type(screen.getByLabelText('Passkey name'), '  Phone ');
    await user.click(screen.getByRole('button', { name: 'Add a passkey' }));
    await waitFor(() => expect(register).toHaveBeenCalledWith('Phone'));
  });

  it("tells a cancelled browser prompt apart from the API's answer", async () => {
    const user = setupUser();
    const cancelled = Object.assign(new Error('The operation either timed out or was not allowed.'), { name: 'NotAllowedError' });
    const { register } = renderCard([], jest.fn<(name: string) => Promise<Passkey>>().mockRejectedValue(cancelled));
    await user.type(screen.getByLabelText('Passkey name'), 'Phone');
    await user.click(screen.getByRole('button', { name: 'Add a passkey' }));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'The passkey was not used: the prompt was cancelled or timed out. Try again.');
    expect(register).toHaveBeenCalledTimes(1);
  });

  it('keeps names to 1–100 characters, trimmed', () => {
    expect([passkeyName('  Laptop  '), passkeyName('   '), passkeyName('x'.repeat(101)), passkeyName('x'.repeat(100))?.length]).toEqual(['Laptop', null, null, 100]);
  });
});
