/** @jest-environment jsdom */
import { describe, expect, it, jest } from '@jest/globals';
import { act, screen, waitFor } from '@testing-library/react';
import { setupUser } from '../../../test/user';
import { ApiError } from '../../../shared/api/http';
import { askForStepUp } from '../../../shared/api/step-up';
import { dialogTitleOf, fieldErrorOf } from '../../../test/dom';
import { renderWithApp } from '../../../test/render';
import { StepUpDialog } from './StepUpDialog';

describe('StepUpDialog', () => {
  it('opens when a request needs a fresh check, and answers true once the code is taken', async () => {
    const user = setupUser();
    const verify = jest.fn<(code: string) => Promise<unknown>>();
    verify.mockRejectedValueOnce(new ApiError({ type: 'x', title: 'Invalid second factor', status: 401, code: 'INVALID_MFA', detail: 'The code is wrong or was used already.' }));
    verify.mockResolvedValueOnce({ mfaAt: '2026-12-03T10:00:00.000Z', stepUpUntil: '2026-12-03T10:10:00.000Z' });
    renderWithApp(<StepUpDialog verify={verify} />);
    expect(screen.queryByRole('dialog')).toBeNull();

    let answer: Promise<boolean> = Promise.resolve(false);
    act(() => {
      answer = askForStepUp();
    });
    const dialog = await screen.findByRole('dialog');
    expect(dialogTitleOf(dialog)).toBe('Confirm it is you');
    await user.type(screen.getByRole('textbox', { name: /^Code/ }), '111111');
    await user.click(screen.getByRole('button', { name: 'Confirm' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The code is wrong or was used already.');
    expect(fieldErrorOf(screen.getByRole('textbox', { name: /^Code/ }))).toBeNull();

    await user.clear(screen.getByRole('textbox', { name: /^Code/ }));
    await user.type(screen.getByRole('textbox', { name: /^Code/ }), '222 222');
    await user.click(screen.getByRole('button', { name: 'Confirm' }));
    await expect(answer).resolves.toBe(true);
    expect(verify.mock.calls).toEqual([['111111'], ['222222']]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('answers false when cancelled, so the refused request fails as it was', async () => {
    const user = setupUser();
    const verify = jest.fn<(code: string) => Promise<unknown>>();
    renderWithApp(<StepUpDialog verify={verify} />);
    let answer: Promise<boolean> = Promise.resolve(true);
    act(() => {
      answer = askForStepUp();
    });
    await user.click(await screen.findByRole('button', { name: 'Cancel' }));
    await expect(answer).resolves.toBe(false);
    expect(verify).not.toHaveBeenCalled();
  });

  it('asks once for requests refused together', async () => {
    renderWithApp(<StepUpDialog verify={() => Promise.resolve({})} />);
    let first: Promise<boolean> = Promise.resolve(false);
    let second: Promise<boolean> = Promise.resolve(false);
    act(() => {
      first = askForStepUp();
      second = askForStepUp();
    });
    expect(first).toBe(second);
    expect(await screen.findAllByRole('dialog')).toHaveLength(1);
  });
});
