/** @jest-environment jsdom */
import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, screen, within } from '@testing-library/react';
import { setupUser } from '../../../test/user';
import { ApiError } from '../../../shared/api/http';
import { fieldErrorOf, groupErrorOf } from '../../../test/dom';
import { renderWithApp } from '../../../test/render';
import { policyFixture } from '../../../test/policy-fixtures';
import { pickOption } from '../../../test/select';
import { REGIONS } from '../../../test/usage-fixtures';
import type { PolicyRequest } from '../api/policy.queries';
import { PolicyForm } from './SettingsPage';

const POLICY = policyFixture();

// The whole policy form re-renders on each keystroke in jsdom: a long edit takes seconds on a busy machine.
jest.setTimeout(90_000);

function renderForm({ error = null, writable = true }: { error?: unknown; writable?: boolean } = {}) {
  const onSubmit = jest.fn<(body: PolicyRequest) => void>();
  renderWithApp(<PolicyForm policy={POLICY} regions={REGIONS} writable={writable} pending={false} error={error} onEdited={() => undefined} onSubmit={onSubmit} />);
  return onSubmit;
}

const region = (name: string) => screen.getByRole('region', { name });
const inGroup = (group: string) => within(screen.getByRole('group', { name: group }));

describe('PolicyForm', () => {
  it('shows usage retention, the API rate limit and the geography as the policy has them', () => {
    renderForm();
    const usage = within(region('Usage and the API'));
    expect((usage.getByRole('textbox', { name: 'Keep usage events for (days)' }) as HTMLInputElement).value).toBe('90');
    expect((usage.getByRole('textbox', { name: 'API requests per service key (uses)' }) as HTMLInputElement).value).toBe('1,200');
    expect((usage.getByRole('combobox', { name: 'Window' }) as HTMLInputElement).value).toBe('per minute');
    const geography = within(region('Geography'));
    expect((geography.getByRole('radio', { name: /^Off/ }) as HTMLInputElement).checked).toBe(true);
    expect((geography.getByRole('radio', { name: /^Allow/ }) as HTMLInputElement).checked).toBe(true);
    const rule = inGroup('Rule 1');
    expect(rule.getByText('health').tagName).toBe('SPAN');
    expect((rule.getByRole('combobox', { name: 'Mode' }) as HTMLInputElement).value).toBe('Enforce: refuse them (GEO_BLOCKED)');
    expect(rule.getByText('EU — European Union').tagName).toBe('SPAN');
    expect(inGroup('Your region groups').getByText('None: the built-in groups only.').tagName).toBe('P');
  });

  it('adds a region group and a rule that uses it before it is saved, and sends the whole policy', async () => {
    const user = setupUser();
    const onSubmit = renderForm();
    await user.click(screen.getByRole('button', { name: 'Add region group' }));
    const group = inGroup('Region group 1');
    await user.type(group.getByRole('textbox', { name: 'Code' }), 'dach');
    // Pasted: typing it key by key re-renders the whole form thirty times over.
    await user.click(group.getByRole('textbox', { name: /^Name/ }));
    await user.paste('Germany, Austria, Switzerland');
    const countries = group.getByRole('combobox', { name: 'Countries' });
    await user.type(countries, 'de{Enter}at{Enter}ch{Enter}');
    expect(countries.getAttribute('aria-describedby')?.split(' ').map((id) => document.getElementById(id)?.textContent)).toContain('Germany, Austria, Switzerland');

    await user.click(screen.getByRole('button', { name: 'Add rule' }));
    const rule = inGroup('Rule 2');
    await user.type(rule.getByRole('combobox', { name: 'Data categories' }), 'payroll{Enter}');
    await pickOption(user, rule.getByRole('combobox', { name: 'Mode' }), 'Monitor: flag uses from elsewhere');
    await pickOption(user, rule.getByRole('combobox', { name: 'Allowed regions' }), 'DACH — Germany, Austria, Switzerland');
    await user.click(screen.getByRole('radio', { name: /^Block/ }));
    await pickOption(user, screen.getByRole('combobox', { name: 'Default residency region' }), 'EU — European Union');
    await user.clear(screen.getByRole('textbox', { name: 'Keep usage events for (days)' }));
    await user.type(screen.getByRole('textbox', { name: 'Keep usage events for (days)' }), '30');
    await user.click(screen.getByRole('button', { name: 'Save policy' }));

    expect(onSubmit).toHaveBeenCalledWith({
      maxLifetimeSeconds: 90 * 86_400,
      defaultRotationIntervalSeconds: null,
      defaultGracePeriodSeconds: 86_400,
      disableUnusedAfterDays: 90,
      requireConsentFor: ['personal', 'health'],
      usageRetentionDays: 30,
      apiRateLimit: { limit: 1200, windowSeconds: 60 },
      geo: {
        defaultMode: 'off',
        defaultResidencyRegion: 'EU',
        unknownLocation: 'block',
        rules: [
          { dataCategories: ['health'], mode: 'enforce', allowedRegions: ['EU'], allowedCountries: [] },
          { dataCategories: ['payroll'], mode: 'monitor', allowedRegions: ['DACH'], allowedCountries: [] },
        ],
        regionGroups: [{ code: 'DACH', name: 'Germany, Austria, Switzerland', countries: ['DE', 'AT', 'CH'] }],
      },
      alerts: POLICY.alerts,
      reviews: POLICY.reviews,
      auth: POLICY.auth,
    });
  });

  it('checks the rows before sending: a rule must allow somewhere, a group needs a code of its own and countries', async () => {
    const user = setupUser();
    const onSubmit = renderForm();
    await user.click(screen.getByRole('button', { name: 'Add rule' }));
    await user.click(screen.getByRole('button', { name: 'Add region group' }));
    await user.type(inGroup('Region group 1').getByRole('textbox', { name: 'Code' }), 'de');
    fireEvent.click(screen.getByRole('button', { name: 'Save policy' }));
    const rule = inGroup('Rule 2');
    expect(fieldErrorOf(rule.getByRole('combobox', { name: 'Data categories' }))).toBe('Name the data categories the rule is for');
    expect(rule.getByRole('alert').textContent).toBe('Allow at least one region or country');
    const group = inGroup('Region group 1');
    expect(fieldErrorOf(group.getByRole('textbox', { name: 'Code' }))).toBe("DE is a country's code: a group needs a name of its own");
    expect(fieldErrorOf(group.getByRole('combobox', { name: 'Countries' }))).toBe('Name at least one country');
    expect(onSubmit).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Remove rule 2' }));
    expect(screen.queryByRole('group', { name: 'Rule 2' })).toBeNull();
  });

  it("shows the API's field errors on the inputs and rows they name, the rest above the button", () => {
    renderForm({
      error: new ApiError({
        type: 'x',
        title: 'The request is not valid',
        status: 400,
        code: 'VALIDATION_FAILED',
        detail: 'The request is not valid.',
        errors: [
          { field: 'geo.rules.0.allowedRegions', message: 'names no region group: ATLANTIS' },
          { field: 'geo.rules.0', message: 'must allow at least one region or country' },
          { field: 'geo.defaultMode', message: 'defaultMode must be one of the following values: off, monitor, enforce' },
          { field: 'apiRateLimit.windowSeconds', message: 'windowSeconds must not be greater than 86400' },
          { field: 'usageRetentionDays', message: 'usageRetentionDays must not be greater than 3650' },
          { field: 'maxLifetimeSeconds', message: 'maxLifetimeSeconds must not be less than 60' },
          { field: 'geo.somethingNew', message: 'shown in the alert' },
        ],
      }),
    });
    const rule = inGroup('Rule 1');
    expect(fieldErrorOf(rule.getByRole('combobox', { name: 'Allowed regions' }))).toBe('names no region group: ATLANTIS');
    expect(rule.getByRole('alert').textContent).toBe('must allow at least one region or country');
    expect(groupErrorOf(screen.getByRole('radiogroup', { name: 'Default geo mode' }))).toBe('defaultMode must be one of the following values: off, monitor, enforce');
    expect(fieldErrorOf(screen.getByRole('combobox', { name: 'Window' }))).toBe('windowSeconds must not be greater than 86400');
    expect(fieldErrorOf(screen.getByRole('textbox', { name: 'Keep usage events for (days)' }))).toBe('usageRetentionDays must not be greater than 3650');
    expect(fieldErrorOf(screen.getByRole('textbox', { name: 'Maximum token lifetime (days)' }))).toBe('maxLifetimeSeconds must not be less than 60');
    const alert = screen.getAllByRole('alert').find((a) => a.textContent?.includes('The request is not valid.'))!;
    expect(alert.textContent).toContain('shown in the alert');
    expect(alert.textContent).not.toContain('ATLANTIS');
  });

  it('is read-only for a role that may not write the policy', () => {
    renderForm({ writable: false });
    expect(screen.queryByRole('button', { name: 'Save policy' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add rule' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Remove rule 1' })).toBeNull();
    // Every input sits in one disabled fieldset.
    expect(screen.getByRole('textbox', { name: 'Keep usage events for (days)' }).matches(':disabled')).toBe(true);
    expect(inGroup('Rule 1').getByRole('combobox', { name: 'Mode' }).matches(':disabled')).toBe(true);
    expect(screen.getByRole('radio', { name: /^Enforce/ }).matches(':disabled')).toBe(true);
  });

  describe('alert rules', () => {
    const rule = (name: string) => inGroup(name);

    it('shows each rule as the policy has it: a threshold and window only where the rule counts, a leak report fixed to revoke', () => {
      renderForm();
      const section = within(region('Alert rules'));
      const networks = rule('Many networks');
      expect((networks.getByRole('textbox', { name: 'Threshold' }) as HTMLInputElement).value).toBe('10');
      expect((networks.getByRole('textbox', { name: 'Window (seconds)' }) as HTMLInputElement).value).toBe('3,600');
      expect((networks.getByRole('switch', { name: 'Enabled' }) as HTMLInputElement).checked).toBe(true);
      expect((networks.getByRole('combobox', { name: 'Severity' }) as HTMLInputElement).value).toBe('high');
      expect((networks.getByRole('combobox', { name: 'Remediation' }) as HTMLInputElement).value).toBe('None: alert only');
      const dead = rule('Dead token used');
      expect(dead.queryByRole('textbox', { name: 'Threshold' })).toBeNull();
      expect(dead.queryByRole('textbox', { name: 'Window (seconds)' })).toBeNull();
      expect(rule('New country').queryByRole('textbox', { name: 'Threshold' })).toBeNull();
      expect((rule('New country').getByRole('textbox', { name: 'Window (seconds)' }) as HTMLInputElement).value).toBe('2,592,000');
      const leaked = rule('Leaked token');
      expect(leaked.getByRole('switch', { name: 'Enabled' }).matches(':disabled')).toBe(true);
      expect(leaked.getByRole('combobox', { name: 'Remediation' }).matches(':disabled')).toBe(true);
      expect(leaked.getByRole('combobox', { name: 'Severity' }).matches(':disabled')).toBe(false);
      expect((section.getByRole('textbox', { name: 'Acknowledge alerts within (minutes)' }) as HTMLInputElement).value).toBe('60');
      expect(section.queryByText('This can lock you out')).toBeNull();
    });

    it('sends an edited rule with the whole policy, and warns before remediation may lock the tenant out', async () => {
      const user = setupUser();
      const onSubmit = renderForm();
      const networks = rule('Many networks');
      await user.clear(networks.getByRole('textbox', { name: 'Threshold' }));
      await user.type(networks.getByRole('textbox', { name: 'Threshold' }), '3');
      await pickOption(user, networks.getByRole('combobox', { name: 'Remediation' }), 'Suspend the token');
      await user.click(rule('Plain HTTP').getByRole('switch', { name: 'Enabled' }));
      await user.click(screen.getByRole('switch', { name: /^Remediation may suspend or revoke service keys/ }));
      expect(within(region('Alert rules')).getByRole('alert').textContent).toContain('locked out until an owner or admin steps in');
      await user.click(screen.getByRole('button', { name: 'Save policy' }));

      const body = onSubmit.mock.calls[0]![0];
      expect(body.alerts).toEqual({
        ...POLICY.alerts,
        remediateOwnerServiceKeys: true,
        rules: {
          ...POLICY.alerts.rules,
          many_networks: { enabled: true, threshold: 3, windowSeconds: 3600, severity: 'high', remediation: 'suspend' },
          plaintext_transport: { enabled: false, severity: 'medium', remediation: 'none' },
        },
      });
    });

    it('checks the bounds before sending', async () => {
      const user = setupUser();
      const onSubmit = renderForm();
      const spike = rule('Usage spike');
      await user.clear(spike.getByRole('textbox', { name: 'Window (seconds)' }));
      await user.type(spike.getByRole('textbox', { name: 'Window (seconds)' }), '5');
      await user.clear(rule('Brute force').getByRole('textbox', { name: 'Threshold' }));
      fireEvent.click(screen.getByRole('button', { name: 'Save policy' }));
      expect(fieldErrorOf(spike.getByRole('textbox', { name: 'Window (seconds)' }))).toBe('A whole number of seconds from 10 to 86,400');
      expect(fieldErrorOf(rule('Brute force').getByRole('textbox', { name: 'Threshold' }))).toBe('A whole number from 1 to 1,000,000');
      expect(onSubmit).not.toHaveBeenCalled();
    });

    it("shows the API's errors on the rule fields and rows they name", () => {
      renderForm({
        error: new ApiError({
          type: 'x',
          title: 'The request is not valid',
          status: 400,
          code: 'VALIDATION_FAILED',
          detail: 'The request is not valid.',
          errors: [
            { field: 'alerts.rules.many_networks.windowSeconds', message: 'must be a whole number of seconds from 10 to 86400' },
            { field: 'alerts.rules.leaked', message: 'a leak report always revokes the token and raises its alert; only its severity can change' },
            { field: 'alerts.ackWithinMinutes', message: 'ackWithinMinutes must not be greater than 10080' },
          ],
        }),
      });
      expect(fieldErrorOf(rule('Many networks').getByRole('textbox', { name: 'Window (seconds)' }))).toBe('must be a whole number of seconds from 10 to 86400');
      expect(rule('Leaked token').getByRole('alert').textContent).toBe('a leak report always revokes the token and raises its alert; only its severity can change');
      expect(fieldErrorOf(screen.getByRole('textbox', { name: 'Acknowledge alerts within (minutes)' }))).toBe('ackWithinMinutes must not be greater than 10080');
      const alert = screen.getAllByRole('alert').find((a) => a.textContent?.includes('The request is not valid.'))!;
      expect(alert.textContent).not.toContain('10080');
    });

    it('is read-only for a role that may not write the policy', () => {
      renderForm({ writable: false });
      expect(rule('Many networks').getByRole('textbox', { name: 'Threshold' }).matches(':disabled')).toBe(true);
      expect(rule('Many networks').getByRole('switch', { name: 'Enabled' }).matches(':disabled')).toBe(true);
    });
  });

  it('edits the access review schedule, the due and reminder days, what overdue does and separation of duties', async () => {
    const user = setupUser();
    const onSubmit = renderForm();
    const reviews = within(region('Access reviews'));
    const interval = reviews.getByRole('textbox', { name: 'Open a campaign every (days)' }) as HTMLInputElement;
    expect([interval.value, (reviews.getByRole('textbox', { name: 'Due after (days)' }) as HTMLInputElement).value]).toEqual(['', '14']);
    await user.type(interval, '7');
    fireEvent.click(screen.getByRole('button', { name: 'Save policy' }));
    expect(fieldErrorOf(reviews.getByRole('textbox', { name: 'Due after (days)' }))).toBe('At most the interval: a campaign is due before the next one opens');
    expect(onSubmit).not.toHaveBeenCalled();

    await user.clear(interval);
    await user.type(interval, '90');
    await pickOption(user, reviews.getByRole('combobox', { name: 'At the due date, undecided tokens' }), 'Suspend the token');
    await user.click(reviews.getByRole('switch', { name: /^Separation of duties/ }));
    await user.click(screen.getByRole('button', { name: 'Save policy' }));
    expect(onSubmit.mock.calls[0]?.[0].reviews).toEqual({ intervalDays: 90, scope: { all: true }, dueInDays: 14, onOverdue: 'suspend', remindBeforeDays: 3, separationOfDuties: true });
  });
  describe('sign-in and sessions', () => {
    const signIn = () => within(region('Sign-in and sessions'));

    it('shows the policy in minutes and hours, and sends the roles that must use MFA with the rest', async () => {
      const user = setupUser();
      const onSubmit = renderForm();
      expect((signIn().getByRole('textbox', { name: 'Ask for a code again after (minutes)' }) as HTMLInputElement).value).toBe('10');
      expect((signIn().getByRole('textbox', { name: 'End idle sessions after (minutes)' }) as HTMLInputElement).value).toBe('120');
      expect((signIn().getByRole('textbox', { name: 'End every session after (hours)' }) as HTMLInputElement).value).toBe('12');
      expect(signIn().getAllByRole('checkbox').filter((c) => (c as HTMLInputElement).checked)).toEqual([]);
      await user.click(signIn().getByRole('checkbox', { name: 'Owners' }));
      await user.click(signIn().getByRole('checkbox', { name: 'Admins' }));
      await user.clear(signIn().getByRole('textbox', { name: 'Ask for a code again after (minutes)' }));
      await user.type(signIn().getByRole('textbox', { name: 'Ask for a code again after (minutes)' }), '5');
      await user.click(screen.getByRole('button', { name: 'Save policy' }));
      expect(onSubmit.mock.calls[0]?.[0].auth).toEqual({ requireMfaForRoles: ['owner', 'admin'], stepUpSeconds: 300, idleMinutes: 120, absoluteHours: 12 });
    });

    it('checks the bounds, and that idle time fits in a session', async () => {
      const user = setupUser();
      const onSubmit = renderForm();
      const idle = signIn().getByRole('textbox', { name: 'End idle sessions after (minutes)' });
      await user.clear(idle);
      await user.type(idle, '1000');
      fireEvent.click(screen.getByRole('button', { name: 'Save policy' }));
      expect(fieldErrorOf(idle)).toBe('At most the session limit: a session ends then anyway');
      await user.clear(idle);
      await user.type(idle, '2');
      fireEvent.click(screen.getByRole('button', { name: 'Save policy' }));
      expect(fieldErrorOf(idle)).toBe('A whole number of minutes from 5 to 10,080');
      expect(onSubmit).not.toHaveBeenCalled();
    });

    it("shows the API's errors on the fields they name, step-up seconds on the minutes", () => {
      renderForm({
        error: new ApiError({
          type: 'x',
          title: 'The request is not valid',
          status: 400,
          code: 'VALIDATION_FAILED',
          errors: [{ field: 'auth.stepUpSeconds', message: 'must be a whole number from 60 to 86400' }],
        }),
      });
      expect(fieldErrorOf(signIn().getByRole('textbox', { name: 'Ask for a code again after (minutes)' }))).toBe('must be a whole number from 60 to 86400');
    });
  });
});
