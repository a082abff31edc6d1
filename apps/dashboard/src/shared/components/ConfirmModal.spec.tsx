/** @jest-environment jsdom */
import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, screen } from '@testing-library/react';
import { renderWithApp } from '../../test/render';
import { ApiError } from '../api/http';
import { ConfirmModal } from './ConfirmModal';

describe('ConfirmModal', () => {
  it('asks for a required reason before confirming, and passes it on trimmed', () => {
    const onConfirm = jest.fn();
    renderWithApp(
      <ConfirmModal opened title="Revoke it?" confirmLabel="Revoke" danger reason={{ label: 'Reason', required: true }} pending={false} error={null} onConfirm={onConfirm} onClose={() => undefined}>
        It stops working at once.
      </ConfirmModal>,
    );
    const confirm = screen.getByRole('button', { name: 'Revoke' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText(/^Reason/), { target: { value: '  leaked  ' } });
    fireEvent.click(confirm);
    expect(onConfirm).toHaveBeenCalledWith('leaked');
  });

  it('sends a reason typed over several lines as one line, which is all the API takes', () => {
    const onConfirm = jest.fn();
    renderWithApp(
      <ConfirmModal opened title="Revoke it?" confirmLabel="Revoke" reason={{ label: 'Reason', required: true }} pending={false} error={null} onConfirm={onConfirm} onClose={() => undefined}>
        It stops working at once.
      </ConfirmModal>,
    );
    fireEvent.change(screen.getByLabelText(/^Reason/), { target: { value: 'leaked in\n\tthe build log ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Revoke' }));
    expect(onConfirm).toHaveBeenCalledWith('leaked in the build log');
  });

  it("shows the API's problem when the action was refused", () => {
    const error = new ApiError({ type: 'x', title: 'Not allowed', status: 409, detail: 'A revoked token cannot revoke.' });
    renderWithApp(
      <ConfirmModal opened title="Revoke it?" confirmLabel="Revoke" pending={false} error={error} onConfirm={() => undefined} onClose={() => undefined}>
        Sure?
      </ConfirmModal>,
    );
    expect(screen.getByRole('alert').textContent).toContain('A revoked token cannot revoke.');
  });
});
