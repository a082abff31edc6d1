/** @jest-environment jsdom */
import { describe, expect, it, jest } from '@jest/globals';
import { ROLE_SCOPES, type Role } from '@custos/contracts';
import { fireEvent, screen } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { setupUser } from '../../../test/user';
import { ApiError } from '../../../shared/api/http';
import { fieldErrorOf, groupErrorOf, isEnabled } from '../../../test/dom';
import { renderWithApp, sessionWith } from '../../../test/render';
import { tokenFixture } from '../../../test/token-fixtures';
import { pickOption } from '../../../test/select';
import { REGIONS } from '../../../test/usage-fixtures';
import { usageKeys } from '../../usage/api/usage.queries';
import { sessionKeys } from '../../session/api/session.queries';
import type { PatchTokenRequest, Token } from '../api/tokens.queries';
import { TokenActions } from '../components/TokenActions';
import { EditTokenForm } from './EditTokenPage';

const token = tokenFixture('tok_1', { name: 'orders', scopes: ['orders:read', 'orders:write'], allowedCidrs: ['10.0.0.0/8'] });

function renderForm(error: unknown = null, t: Token = token) {
  const onSubmit = jest.fn<(body: PatchTokenRequest) => void>();
  renderWithApp(<EditTokenForm token={t} pending={false} error={error} onSubmit={onSubmit} onCancel={() => undefined} />, [[usageKeys.regions(), REGIONS]]);
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

/** Picks an option of the select labelled `field`. */
const pick = (user: UserEvent, field: string, option: string) => pickOption(user, screen.getByRole('combobox', { name: field }), option);

describe('EditTokenForm: residency and geofence', () => {
  it('makes a token EU-only, enforced, sending just the geofence', async () => {
    const user = setupUser();
    const onSubmit = renderForm();
    expect((screen.getByRole('radio', { name: /^Off/ }) as HTMLInputElement).checked).toBe(true);
    await user.click(screen.getByRole('radio', { name: /^Enforce/ }));
    // Enforcing with nothing allowed would let every country through: the form says so until a region is picked.
    expect(screen.getByTestId('open-geofence').textContent).toContain('lets every country through');
    await pick(user, 'Residency region', 'EU — European Union');
    await pick(user, 'Allowed regions', 'EU — European Union');
    expect(screen.queryByTestId('open-geofence')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(onSubmit).toHaveBeenCalledWith({ geoMode: 'enforce', residencyRegion: 'EU', allowedRegions: ['EU'] });
  });

  it('takes country codes in any case, and names the countries', async () => {
    const user = setupUser();
    const onSubmit = renderForm(null, tokenFixture('tok_2', { geoMode: 'monitor', residencyRegion: 'EU', allowedRegions: ['EU'] }));
    const countries = screen.getByRole('combobox', { name: 'Allowed countries' });
    await user.type(countries, 'ch{Enter}no{Enter}');
    expect(document.getElementById(countries.getAttribute('aria-describedby')!.split(' ').find((id) => id.endsWith('-description'))!)?.textContent).toBe(
      'Switzerland, Norway',
    );
    await user.type(countries, 'switzerland{Enter}');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(fieldErrorOf(countries)).toBe('"SWITZERLAND" is not a two-letter country code such as CH');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("shows the API's refusal to loosen on the geo mode, and an unknown country on its field", () => {
    const refusal = new ApiError({
      type: 'x',
      title: 'Scopes cannot be widened or granted beyond your own',
      status: 403,
      code: 'SCOPE_ESCALATION',
      detail: 'A geofence can only be tightened; this would loosen it. Issue a new token, or ask an owner or admin.',
      errors: [
        { field: 'geoMode', message: 'may only tighten the geofence' },
        { field: 'allowedCountries', message: 'not ISO 3166-1 alpha-2 country codes: QQ' },
      ],
    });
    renderForm(refusal, tokenFixture('tok_2', { geoMode: 'enforce', residencyRegion: 'EU', allowedRegions: ['EU'] }));
    expect(groupErrorOf(screen.getByRole('radiogroup', { name: 'Geo mode' }))).toBe('may only tighten the geofence');
    expect(fieldErrorOf(screen.getByRole('combobox', { name: 'Allowed countries' }))).toBe('not ISO 3166-1 alpha-2 country codes: QQ');
    expect(screen.getByRole('alert').textContent).toContain('A geofence can only be tightened');
  });
});

describe('EditTokenForm: rate limit', () => {
  it('sets a first limit, sending just the limit with its window', async () => {
    const user = setupUser();
    const onSubmit = renderForm();
    await user.type(screen.getByRole('textbox', { name: 'Rate limit (uses)' }), '5');
    await pick(user, 'Window', 'per hour');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(onSubmit).toHaveBeenCalledWith({ rateLimit: { limit: 5, windowSeconds: 3600 } });
  });

  it('shows the limit the token has, lifts it when emptied, and shows the API’s refusal on the field', async () => {
    const user = setupUser();
    const limited = tokenFixture('tok_3', { rateLimit: { limit: 100, windowSeconds: 120 } });
    const onSubmit = renderForm(null, limited);
    const limit = screen.getByRole('textbox', { name: 'Rate limit (uses)' }) as HTMLInputElement;
    // A window set through the API that is no preset is offered as it is.
    expect([limit.value, (screen.getByRole('combobox', { name: 'Window' }) as HTMLInputElement).value]).toEqual(['100', 'per 2 minutes']);
    expect(screen.getByText(/^Lower only/).textContent).toContain('needs an owner or admin');
    await user.clear(limit);
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(onSubmit).toHaveBeenCalledWith({ rateLimit: null });

    document.body.innerHTML = '';
    const refusal = new ApiError({
      type: 'x',
      title: 'Scopes cannot be widened or granted beyond your own',
      status: 403,
      code: 'SCOPE_ESCALATION',
      detail: 'A rate limit can only be lowered; this would raise or lift it. Ask an owner or admin.',
      errors: [{ field: 'rateLimit', message: 'may only lower the rate limit' }],
    });
    renderForm(refusal, limited);
    expect(fieldErrorOf(screen.getByRole('textbox', { name: 'Rate limit (uses)' }))).toBe('may only lower the rate limit');
    expect(fieldErrorOf(screen.getByRole('combobox', { name: 'Window' }))).toBeNull();
    expect(screen.getByRole('alert').textContent).toContain('A rate limit can only be lowered');
    expect(screen.getByRole('alert').textContent).not.toContain('may only lower');
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
