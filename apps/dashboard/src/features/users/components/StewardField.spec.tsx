/** @jest-environment jsdom */
import { describe, expect, it, jest } from '@jest/globals';
import { ROLE_SCOPES, type Role } from '@custos/contracts';
import { screen } from '@testing-library/react';
import { setupUser } from '../../../test/user';
import { useState } from 'react';
import { ApiError } from '../../../shared/api/http';
import { factOf, fieldErrorOf, isEnabled } from '../../../test/dom';
import { renderWithApp, sessionWith } from '../../../test/render';
import { pickOption } from '../../../test/select';
import { usersSeed } from '../../../test/user-fixtures';
import { sessionKeys } from '../../session/api/session.queries';
import { StewardField } from './StewardField';

type OnChange = (userId: string, email: string) => void;

/** Saving starts on a pick and never ends here: what the field shows meanwhile. */
function Saving({ stewardUserId, onChange }: { stewardUserId: string; onChange: OnChange }) {
  const [pending, setPending] = useState(false);
  return (
    <StewardField
      stewardUserId={stewardUserId}
      editable
      pending={pending}
      error={null}
      onChange={(id, email) => {
        setPending(true);
        onChange(id, email);
      }}
    />
  );
}

function renderAs(role: Role, stewardUserId: string | null, editable = false, error: unknown = null) {
  const onChange = jest.fn<OnChange>();
  const result = renderWithApp(
    <StewardField stewardUserId={stewardUserId} editable={editable} pending={false} error={error} onChange={onChange} />,
    // As the API answers: GET /v1/users only for a role with custos:users:read.
    [[sessionKeys.me(), sessionWith(role, [...ROLE_SCOPES[role]])], ...(ROLE_SCOPES[role].includes('custos:users:read') ? [usersSeed()] : [])],
  );
  return { ...result, onChange };
}

describe('StewardField', () => {
  it('names the steward by e-mail with the id in the title, for every role that may list users', () => {
    const { container } = renderAs('auditor', 'usr_ana');
    expect(factOf(container, 'Steward')).toBe('ana@acme.test');
    expect(screen.getByText('ana@acme.test').getAttribute('title')).toBe('user usr_ana');
    expect(screen.queryByRole('combobox', { name: 'Steward' })).toBeNull();
  });

  it('shows the id where the role cannot list users, except its own e-mail, and a dash when there is none', () => {
    let { container } = renderAs('viewer', 'usr_ana');
    expect(factOf(container, 'Steward')).toBe('usr_ana');
    expect(screen.getByText('usr_ana').tagName).toBe('CODE');
    document.body.innerHTML = '';
    ({ container } = renderAs('viewer', 'usr_1'));
    expect(factOf(container, 'Steward')).toBe('me@acme.test');
    document.body.innerHTML = '';
    ({ container } = renderAs('viewer', null));
    expect(factOf(container, 'Steward')).toBe('—');
  });

  it("offers the tenant's users by e-mail to an owner or admin, and hands over to the one picked", async () => {
    const user = setupUser();
    const { onChange } = renderAs('admin', 'usr_ana', true);
    const picker = screen.getByRole('combobox', { name: 'Steward' }) as HTMLInputElement;
    expect(picker.value).toBe('ana@acme.test');
    await user.click(picker);
    const list = document.getElementById(picker.getAttribute('aria-controls') ?? '')!;
    expect(Array.from(list.querySelectorAll('[role="option"]')).map((o) => o.textContent)).toEqual(['me@acme.test', 'ana@acme.test', 'bo@acme.test']);
    await user.click(picker);
    await pickOption(user, picker, 'bo@acme.test');
    expect(onChange).toHaveBeenCalledWith('usr_bo', 'bo@acme.test');
  });

  it('sends nothing when the current steward is picked again', async () => {
    const user = setupUser();
    const { onChange } = renderAs('owner', 'usr_ana', true);
    await pickOption(user, screen.getByRole('combobox', { name: 'Steward' }), 'ana@acme.test');
    expect(onChange).not.toHaveBeenCalled();
  });

  it('shows the one picked while the change is saved, and takes no other pick meanwhile', async () => {
    const user = setupUser();
    const onChange = jest.fn<OnChange>();
    renderWithApp(<Saving stewardUserId="usr_ana" onChange={onChange} />, [usersSeed()]);
    const picker = screen.getByRole('combobox', { name: 'Steward' }) as HTMLInputElement;
    await pickOption(user, picker, 'me@acme.test');
    expect(onChange).toHaveBeenCalledWith('usr_1', 'me@acme.test');
    expect(picker.value).toBe('me@acme.test');
    expect(isEnabled(picker)).toBe(false);
  });

  it("shows the API's refusal on the picker", () => {
    const refusal = new ApiError({
      type: 'x',
      title: 'Invalid request',
      status: 400,
      detail: 'The request is invalid.',
      errors: [{ field: 'stewardUserId', message: 'is not a user of this organization' }],
    });
    renderAs('admin', 'usr_ana', true, refusal);
    expect(fieldErrorOf(screen.getByRole('combobox', { name: 'Steward' }))).toBe('is not a user of this organization');
    document.body.innerHTML = '';
    renderAs('admin', 'usr_ana', true, new ApiError({ type: 'x', title: 'Forbidden', status: 403, detail: 'Naming a steward takes custos:users:write.' }));
    expect(fieldErrorOf(screen.getByRole('combobox', { name: 'Steward' }))).toBe('Naming a steward takes custos:users:write.');
  });
});
