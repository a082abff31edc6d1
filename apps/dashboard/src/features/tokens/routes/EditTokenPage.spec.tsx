/** @jest-environment jsdom */
import { describe, expect, it, jest } from '@jest/globals';
import { ROLE_SCOPES, type Role } from '@custos/contracts';
import { fireEvent, screen } from '@testing-library/react';
import { ApiError } from '../../../shared/api/http';
import { fieldErrorOf, groupErrorOf, isEnabled } from '../../../test/dom';
import { renderWithApp, sessionWith } from '../../../test/render';
import { tokenFixture } from '../../../test/token-fixtures';
import { sessionKeys } from '../../session/api/session.queries';
import type { PatchTokenRequest, Token } from '../api/tokens.queries';
import { TokenActions } from '../components/TokenActions';
import { EditTokenForm } from './EditTokenPage';

const token = tokenFixture('tok_1', { name: 'orders', scopes: ['orders:read', 'orders:write'], allowedCidrs: ['10.0.0.0/8'] });

function renderForm(error: unknown = null) {
  const onSubmit = jest.fn<(body: PatchTokenRequest) => void>();
  renderWithApp(<EditTokenForm token={token} pending={false} error={error} onSubmit={onSubmit} onCancel={() => undefined} />);
  return onSubmit;
}

describe('EditTokenForm', () => {
  it('offers only the token’s own scopes, to untick, and says a removed scope is gone for good', () => {
    const onSubmit = renderForm();
    const save = screen.getByRole('button', { name: 'Save changes' });
    expect(isEnabled(save)).toBe(false);
    expect(screen.getAllByRole('checkbox').map((box) => [box.getAttribute('value'), (box as HTMLInputElement).checked])).toEqual([
      ['orders:read', true],
      ['orders:write', true],
    ]);
    expect(document.body.textContent).toContain('Scopes can only be removed, never added');

    fireEvent.click(screen.getByRole('checkbox', { name: 'orders:write' }));
    expect(screen.getByTestId('removed-scopes').textContent).toContain('Saving removes orders:write');
    fireEvent.change(screen.getByRole('textbox', { name: /^Name/ }), { target: { value: 'orders (narrowed)' } });
    fireEvent.click(save);
    expect(onSubmit).toHaveBeenCalledWith({ name: 'orders (narrowed)', scopes: ['orders:read'] });
  });

  it("shows the API's refusals next to the fields they name, the rest above the buttons", () => {
    const refusal = new ApiError({
      type: 'x',
      title: 'Scopes cannot be widened or granted beyond your own',
      status: 403,
      code: 'SCOPE_ESCALATION',
      detail: 'Restrictions can only be narrowed; this would allow 0.0.0.0/0.',
      errors: [
        { field: 'allowedCidrs', message: 'may only narrow the current allow-list' },
        { field: 'scopes.0', message: 'may only remove scopes; not on the token: orders:admin' },
      ],
    });
    renderForm(refusal);
    expect(fieldErrorOf(screen.getByRole('combobox', { name: 'Allowed IP ranges' }))).toBe('may only narrow the current allow-list');
    expect(groupErrorOf(screen.getByRole('group', { name: 'Scopes' }))).toBe('may only remove scopes; not on the token: orders:admin');
    // The alert carries the detail, and does not repeat what the fields show.
    expect(screen.getByRole('alert').textContent).toContain('Restrictions can only be narrowed; this would allow 0.0.0.0/0.');
    expect(screen.getByRole('alert').textContent).not.toContain('may only');
  });

  it('checks what it can before sending', () => {
    const onSubmit = renderForm();
    fireEvent.change(screen.getByRole('textbox', { name: /^Metadata/ }), { target: { value: '{"team":' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(fieldErrorOf(screen.getByRole('textbox', { name: /^Metadata/ }))).toBe('Must be valid JSON');
    expect(onSubmit).not.toHaveBeenCalled();
  });
});

describe('the Edit button on a token’s page', () => {
  function renderActions(role: Role, t: Token) {
    renderWithApp(<TokenActions token={t} />, [[sessionKeys.me(), sessionWith(role, [...ROLE_SCOPES[role]])]]);
    return screen.queryByRole('link', { name: 'Edit' });
  }

  it('leads whoever may update tokens to the edit page', () => {
    expect(renderActions('operator', token)?.getAttribute('href')).toBe('/tokens/tok_1/edit');
  });

  it('is not offered to an auditor, nor on a revoked token', () => {
    expect(renderActions('auditor', token)).toBeNull();
    document.body.innerHTML = '';
    expect(renderActions('owner', { ...token, status: 'revoked' })).toBeNull();
  });
});
