/** @jest-environment jsdom */
import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithApp } from '../../../test/render';
import { policyKeys } from '../../settings/api/policy.queries';
import { serviceKeys } from '../../services/api/services.queries';
import { IssueTokenForm } from './IssueTokenPage';

const POLICY = {
  maxLifetimeSeconds: 7 * 86_400,
  defaultRotationIntervalSeconds: null,
  defaultGracePeriodSeconds: 86_400,
  disableUnusedAfterDays: 90,
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('IssueTokenForm', () => {
  it("shows the API's rules next to the fields before anything is sent", async () => {
    const user = userEvent.setup();
    const onIssued = jest.fn();
    renderWithApp(<IssueTokenForm onIssued={onIssued} />, [
      [policyKeys.current(), POLICY],
      [serviceKeys.list(), []],
    ]);
    expect(screen.getByText("Your organization's policy allows at most 7 days.")).toBeTruthy();

    await user.type(screen.getByRole('combobox', { name: 'Scopes' }), 'Orders:Read{Enter}');
    fireEvent.change(screen.getByLabelText(/^Metadata/), { target: { value: '[1, 2]' } });
    fireEvent.click(screen.getByRole('button', { name: 'Issue token' }));

    expect(screen.getByText('Give the token a name')).toBeTruthy();
    expect(screen.getByText(/"Orders:Read" is not a scope/)).toBeTruthy();
    // The default lifetime (30 days) is beyond this tenant's 7-day cap.
    expect(screen.getByText("Your organization's policy allows at most 7 days")).toBeTruthy();
    expect(screen.getByText('Must be a JSON object')).toBeTruthy();
    expect(onIssued).not.toHaveBeenCalled();
  });
});
