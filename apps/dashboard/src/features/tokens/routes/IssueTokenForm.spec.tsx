/** @jest-environment jsdom */
import { describe, expect, it, jest } from '@jest/globals';
import { ROLE_SCOPES, type Role } from '@custos/contracts';
import { fireEvent, screen } from '@testing-library/react';
import { setupUser } from '../../../test/user';
import { renderWithApp, sessionWith } from '../../../test/render';
import { pickOption } from '../../../test/select';
import { usersSeed } from '../../../test/user-fixtures';
import { sessionKeys } from '../../session/api/session.queries';
import { fieldErrorOf } from '../../../test/dom';
import { policyKeys, type Policy } from '../../settings/api/policy.queries';
import { policyFixture } from '../../../test/policy-fixtures';
import { serviceKeys } from '../../services/api/services.queries';
import { REGIONS } from '../../../test/usage-fixtures';
import { usageKeys } from '../../usage/api/usage.queries';
import { IssueTokenForm } from './IssueTokenPage';

const POLICY = policyFixture({ maxLifetimeSeconds: 7 * 86_400 });

function renderForm(policy: Policy = POLICY, role: Role = 'owner') {
  const onIssued = jest.fn();
  renderWithApp(<IssueTokenForm onIssued={onIssued} />, [
    [sessionKeys.me(), sessionWith(role, [...ROLE_SCOPES[role]])],
    [policyKeys.current(), policy],
    [serviceKeys.list(), []],
    [usageKeys.regions(), REGIONS],
    usersSeed(),
  ]);
  return onIssued;
}

describe('IssueTokenForm', () => {
  it("shows the API's rules next to the fields before anything is sent", async () => {
    const user = setupUser();
    const onIssued = renderForm();
    expect(screen.getByText(/policy allows at most/).textContent).toBe("Your organization's policy allows at most 7 days.");

    await user.type(screen.getByRole('combobox', { name: 'Scopes' }), 'Orders:Read{Enter}');
    fireEvent.change(screen.getByLabelText(/^Metadata/), { target: { value: '[1, 2]' } });
    fireEvent.click(screen.getByRole('button', { name: 'Issue token' }));

    // Each message is the error of its own field, as a screen reader announces it.
    expect(fieldErrorOf(screen.getByRole('textbox', { name: /^Name/ }))).toBe('Give the token a name');
    expect(fieldErrorOf(screen.getByRole('combobox', { name: 'Scopes' }))).toMatch(/^"Orders:Read" is not a scope/);
    // The default lifetime (30 days) is beyond this tenant's 7-day cap.
    expect(fieldErrorOf(screen.getByLabelText('Expires', { selector: 'input' }))).toBe("Your organization's policy allows at most 7 days");
    expect(fieldErrorOf(screen.getByRole('textbox', { name: /^Metadata/ }))).toBe('Must be a JSON object');
    expect(onIssued).not.toHaveBeenCalled();
  });

  it('offers the regions the API knows for residency and geofence, and checks country codes before sending', async () => {
    const user = setupUser();
    const onIssued = renderForm();
    const residency = screen.getByRole('combobox', { name: 'Residency region' });
    await user.click(residency);
    const list = document.getElementById(residency.getAttribute('aria-controls') ?? '')!;
    expect(Array.from(list.querySelectorAll('[role="option"]')).map((o) => o.textContent)).toEqual([
      'EU — European Union',
      'UK — United Kingdom',
      'US — United States',
      'EFTA — European Free Trade Association',
    ]);
    await user.click(screen.getByRole('radio', { name: /^Monitor/ }));
    await user.type(screen.getByRole('combobox', { name: 'Allowed countries' }), 'DEU{Enter}');
    await user.type(screen.getByRole('textbox', { name: /^Name/ }), 'orders');
    fireEvent.click(screen.getByRole('button', { name: 'Issue token' }));
    expect(fieldErrorOf(screen.getByRole('combobox', { name: 'Allowed countries' }))).toBe('"DEU" is not a two-letter country code such as CH');
    expect(onIssued).not.toHaveBeenCalled();
  });
});

describe('IssueTokenForm: the policy’s geo defaults and the rate limit', () => {
  it('starts on the policy’s default geo mode and residency, and says what they are', () => {
    renderForm(policyFixture({ geo: { defaultMode: 'monitor', defaultResidencyRegion: 'EU', unknownLocation: 'allow', rules: [], regionGroups: [] } }));
    const policyDefault = screen.getByRole('radio', { name: /^Policy default/ }) as HTMLInputElement;
    expect(policyDefault.checked).toBe(true);
    expect(document.getElementById(policyDefault.getAttribute('aria-describedby')!)?.textContent).toBe("Your organization's default: Monitor.");
    expect(screen.getByRole('combobox', { name: 'Residency region' }).getAttribute('placeholder')).toBe('Policy default: EU');
    // The tenant chose that default in Settings: no warning about an open geofence here.
    expect(screen.queryByTestId('open-geofence')).toBeNull();
  });

  it('offers no limit until one is typed, per minute unless another window is picked, and checks it before sending', async () => {
    const user = setupUser();
    const onIssued = renderForm();
    const limit = screen.getByRole('textbox', { name: 'Rate limit (uses)' });
    expect([limit.getAttribute('placeholder'), (screen.getByRole('combobox', { name: 'Window' }) as HTMLInputElement).value]).toEqual(['No limit', 'per minute']);
    await user.type(limit, '0');
    await user.type(screen.getByRole('textbox', { name: /^Name/ }), 'orders');
    fireEvent.click(screen.getByRole('button', { name: 'Issue token' }));
    expect(fieldErrorOf(limit)).toBe('A whole number from 1 to 1,000,000');
    expect(onIssued).not.toHaveBeenCalled();
  });
});

describe('IssueTokenForm: the steward', () => {
  it('lets an owner or admin name another user accountable, the issuer by default', async () => {
    const user = setupUser();
    renderForm(POLICY, 'admin');
    const steward = screen.getByRole('combobox', { name: 'Steward' }) as HTMLInputElement;
    expect(steward.value).toBe('me@acme.test');
    await pickOption(user, steward, 'ana@acme.test');
    expect(steward.value).toBe('ana@acme.test');
    await pickOption(user, steward, 'me@acme.test');
    expect(steward.value).toBe('me@acme.test');
  });

  it('is no field for an operator, whose tokens are their own', () => {
    renderForm(POLICY, 'operator');
    expect(screen.queryByRole('combobox', { name: 'Steward' })).toBeNull();
  });
});
