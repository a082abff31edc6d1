/** @jest-environment jsdom */
import { describe, expect, it } from '@jest/globals';
import { ROLE_SCOPES } from '@custos/contracts';
import { fireEvent, screen, within } from '@testing-library/react';
import { setupUser } from '../../../test/user';
import { cellsOf, columnOf, dialogTitleOf, isEnabled } from '../../../test/dom';
import { renderWithApp, sessionWith } from '../../../test/render';
import { pagesOf, reviewItemFixture } from '../../../test/review-fixtures';
import { sessionKeys } from '../../session/api/session.queries';
import { MY_PENDING, reviewKeys, type ReviewItem } from '../api/reviews.queries';
import { MyReviewsPage } from './MyReviewsPage';

const ITEMS = [
  reviewItemFixture('ari_1', { tokenName: 'orders reader', lastUsedAt: '2026-11-30T10:00:00.000Z', countries: ['DE', 'FR'] }),
  reviewItemFixture('ari_2', { tokenName: 'billing export', tokenScopes: ['billing:read'], scopesUsed90d: [], scopesUnused90d: ['billing:read'], countries: [] }),
];

const renderQueue = (items: ReviewItem[] = ITEMS, scopes: readonly string[] | undefined = undefined) =>
  renderWithApp(<MyReviewsPage />, [
    [reviewKeys.items(MY_PENDING), pagesOf(items)],
    ...(scopes ? [[sessionKeys.me(), sessionWith('viewer', [...scopes])] as [readonly unknown[], unknown]] : []),
  ]);

const rowOf = (id: string): HTMLElement => {
  const row = document.querySelector<HTMLElement>(`tr[data-item-id="${id}"]`);
  if (!row) throw new Error(`no row for ${id}`);
  return row;
};
const scopeBadges = (row: HTMLElement) => Array.from(row.querySelectorAll('[data-scope]')).map((b) => [b.textContent, b.getAttribute('data-used')]);

describe('MyReviewsPage', () => {
  it('lists each pending token with its campaign, due date, scopes marked used or unused, last use and countries', () => {
    renderQueue();
    const row = rowOf('ari_1');
    const link = within(row).getByRole('link', { name: 'orders reader' });
    expect([link.getAttribute('href'), columnOf(link)]).toEqual(['/tokens/tok_ari_1', 'Token']);
    const campaign = within(row).getByRole('link', { name: 'Q4 review' });
    expect([campaign.getAttribute('href'), columnOf(campaign)]).toEqual(['/reviews/campaigns/arc_1', 'Campaign']);
    expect(cellsOf(row)[2]).toMatch(/^Q4 reviewdue /);
    expect(scopeBadges(row)).toEqual([
      ['patients:read', 'true'],
      ['patients:write · unused 90 days', 'false'],
    ]);
    expect(cellsOf(row)[4]).toMatch(/ agofrom Germany \(DE\), France \(FR\)$/);
    expect(cellsOf(rowOf('ari_2'))[4]).toBe('never');
    expect(scopeBadges(rowOf('ari_2'))).toEqual([['billing:read · unused 90 days', 'false']]);
  });

  it('narrows to the scopes used in 90 days by default, and asks for a comment first', async () => {
    const user = setupUser();
    renderQueue();
    await user.click(within(rowOf('ari_1')).getByRole('button', { name: 'Narrow' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialogTitleOf(dialog)).toBe('Narrow "orders reader"');
    const boxes = within(dialog).getAllByRole('checkbox') as HTMLInputElement[];
    expect(boxes.map((b) => [b.value, b.checked])).toEqual([
      ['patients:read', true],
      ['patients:write', false],
    ]);
    const confirm = within(dialog).getByRole('button', { name: 'Narrow' });
    expect(isEnabled(confirm)).toBe(false);
    await user.type(within(dialog).getByRole('textbox', { name: /^Comment/ }), 'write access unused');
    expect(isEnabled(confirm)).toBe(true);
    // Nothing ticked: narrow would take every scope away, which is what revoke is for.
    await user.click(boxes[0]!);
    expect(isEnabled(confirm)).toBe(false);
    expect(within(dialog).getByText('Keep at least one scope').tagName).toBe('P');
  });

  it('asks for a comment before revoking, in red', async () => {
    const user = setupUser();
    renderQueue();
    await user.click(within(rowOf('ari_2')).getByRole('button', { name: 'Revoke' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialogTitleOf(dialog)).toBe('Revoke "billing export"?');
    expect(within(dialog).queryAllByRole('checkbox')).toEqual([]);
    expect(isEnabled(within(dialog).getByRole('button', { name: 'Revoke' }))).toBe(false);
  });

  it('keeps the selected tokens with one comment', async () => {
    const user = setupUser();
    renderQueue();
    const keepSelected = () => screen.getByRole('button', { name: /^Keep selected/ });
    expect(isEnabled(keepSelected())).toBe(false);
    await user.click(screen.getByRole('checkbox', { name: 'Select orders reader' }));
    expect(keepSelected().textContent).toBe('Keep selected (1)');
    await user.click(screen.getByRole('checkbox', { name: 'Select all' }));
    expect(keepSelected().textContent).toBe('Keep selected (2)');
    fireEvent.click(keepSelected());
    const dialog = await screen.findByRole('dialog');
    expect(dialogTitleOf(dialog)).toBe('Keep 2 tokens?');
    expect((within(dialog).getByRole('textbox', { name: /^Comment/ }) as HTMLTextAreaElement).required).toBe(true);
    expect(isEnabled(within(dialog).getByRole('button', { name: 'Keep all' }))).toBe(false);
  });

  it('says when nothing waits, and offers no bulk action', () => {
    renderQueue([]);
    expect(screen.getByText('Nothing to review').tagName).toBe('P');
    expect(screen.queryByRole('button', { name: /^Keep selected/ })).toBeNull();
  });

  it('is the queue of every role: a viewer decides the tokens it stewards', () => {
    renderQueue(ITEMS, ROLE_SCOPES.viewer);
    expect(within(rowOf('ari_1')).getAllByRole('button').map((b) => b.textContent)).toEqual(['Keep', 'Narrow', 'Revoke']);
  });
});
