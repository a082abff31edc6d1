/** @jest-environment jsdom */
import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, screen } from '@testing-library/react';
import { consentFixture } from '../../../test/consent-fixtures';
import { renderWithApp } from '../../../test/render';
import { dialogTitleOf } from '../../../test/dom';
import { useState } from 'react';
import { ApiError } from '../../../shared/api/http';
import type { ConsentWithdrawal } from '../api/consents.queries';
import { WithdrawConsentDialog, revokedTokensText } from './WithdrawConsentDialog';

const consent = consentFixture('cns_1', { subjectRef: 'cust_42', purpose: 'newsletter', boundTokens: 3 });

describe('WithdrawConsentDialog', () => {
  it('asks first, with an optional reason passed on trimmed', () => {
    const onConfirm = jest.fn();
    renderWithApp(<WithdrawConsentDialog consent={consent} opened pending={false} error={null} result={null} onConfirm={onConfirm} onClose={() => undefined} />);
    expect(dialogTitleOf(screen.getByRole('dialog'))).toBe('Withdraw the consent of cust_42?');
    expect(screen.getByText(/bound in all/).textContent).toContain('that still works is revoked now (3 bound in all).');
    const confirm = screen.getByRole('button', { name: 'Withdraw consent' }) as HTMLButtonElement;
    // The reason is optional: withdrawing is allowed without one.
    expect(confirm.disabled).toBe(false);
    fireEvent.change(screen.getByLabelText(/^Reason/), { target: { value: '  asked by e-mail  ' } });
    fireEvent.click(confirm);
    expect(onConfirm).toHaveBeenCalledWith('asked by e-mail');
  });

  it('after confirming, shows how many tokens the withdrawal revoked', () => {
    /** Stands in for the API: the withdrawal answers that it revoked two tokens. */
    function Withdrawing() {
      const [result, setResult] = useState<ConsentWithdrawal | null>(null);
      return (
        <WithdrawConsentDialog
          consent={consent}
          opened
          pending={false}
          error={null}
          result={result}
          onConfirm={() => setResult({ consent: { ...consent, status: 'withdrawn', withdrawnAt: '2026-02-01T00:00:00.000Z' }, revokedTokens: 2 })}
          onClose={() => undefined}
        />
      );
    }
    renderWithApp(<Withdrawing />);
    fireEvent.click(screen.getByRole('button', { name: 'Withdraw consent' }));
    expect(screen.getByTestId('revoked-tokens').textContent).toBe('2 tokens revoked');
    expect(dialogTitleOf(screen.getByRole('dialog'))).toBe('Consent withdrawn');
    expect(screen.queryByRole('button', { name: 'Withdraw consent' })).toBeNull();
  });

  it("shows the API's problem when the withdrawal was refused", () => {
    const error = new ApiError({ type: 'x', title: 'Conflict', status: 409, detail: 'The consent is already withdrawn.' });
    renderWithApp(<WithdrawConsentDialog consent={consent} opened pending={false} error={error} result={null} onConfirm={() => undefined} onClose={() => undefined} />);
    expect(screen.getByRole('alert').textContent).toContain('The consent is already withdrawn.');
  });

  it('counts in words', () => {
    expect(revokedTokensText(0)).toBe('0 tokens revoked');
    expect(revokedTokensText(1)).toBe('1 token revoked');
  });
});
