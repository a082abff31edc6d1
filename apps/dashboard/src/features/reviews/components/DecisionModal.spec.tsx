/** @jest-environment jsdom */
import { describe, expect, it, jest } from '@jest/globals';
import { screen, within } from '@testing-library/react';
import { setupUser } from '../../../test/user';
import { ApiError } from '../../../shared/api/http';
import { renderWithApp } from '../../../test/render';
import { reviewItemFixture } from '../../../test/review-fixtures';
import type { DecisionRequest } from '../api/reviews.queries';
import { DecisionModal } from './DecisionModal';

const item = reviewItemFixture('ari_1', { tokenName: 'orders reader', tokenScopes: ['a:read', 'a:write', 'b:read'], scopesUsed90d: ['a:read', 'b:read'] });

describe('DecisionModal', () => {
  it('sends the scopes ticked and the comment, trimmed', async () => {
    const user = setupUser();
    const onConfirm = jest.fn<(body: DecisionRequest) => void>();
    renderWithApp(<DecisionModal target={{ item, decision: 'narrow' }} pending={false} error={null} onConfirm={onConfirm} onClose={() => undefined} />);
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('checkbox', { name: 'b:read' }));
    await user.type(within(dialog).getByRole('textbox', { name: /^Comment/ }), '  only reads orders ');
    await user.click(within(dialog).getByRole('button', { name: 'Narrow' }));
    expect(onConfirm.mock.calls).toEqual([[{ decision: 'narrow', scopes: ['a:read'], comment: 'only reads orders' }]]);
  });

  it('sends no scopes with keep', async () => {
    const user = setupUser();
    const onConfirm = jest.fn<(body: DecisionRequest) => void>();
    renderWithApp(<DecisionModal target={{ item, decision: 'keep' }} pending={false} error={null} onConfirm={onConfirm} onClose={() => undefined} />);
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByRole('textbox', { name: /^Comment/ }), 'still needed');
    await user.click(within(dialog).getByRole('button', { name: 'Keep' }));
    expect(onConfirm.mock.calls).toEqual([[{ decision: 'keep', comment: 'still needed' }]]);
  });

  it("shows the API's message when the decision is refused", async () => {
    const error = new ApiError({ type: 'about:blank', title: 'Forbidden', status: 403, code: 'FORBIDDEN', detail: 'You are not the reviewer of this item.' });
    renderWithApp(<DecisionModal target={{ item, decision: 'revoke' }} pending={false} error={error} onConfirm={() => undefined} onClose={() => undefined} />);
    const alert = within(await screen.findByRole('dialog')).getByRole('alert');
    expect(within(alert).getByText('You are not the reviewer of this item.').tagName).toBe('P');
  });
});
