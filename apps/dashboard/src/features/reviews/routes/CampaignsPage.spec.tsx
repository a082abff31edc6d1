/** @jest-environment jsdom */
import { describe, expect, it } from '@jest/globals';
import { ROLE_SCOPES } from '@custos/contracts';
import { screen, within } from '@testing-library/react';
import { setupUser } from '../../../test/user';
import { cellsOf, fieldErrorOf } from '../../../test/dom';
import { renderWithApp, sessionWith } from '../../../test/render';
import { campaignFixture, pagesOf } from '../../../test/review-fixtures';
import { usersSeed } from '../../../test/user-fixtures';
import { sessionKeys } from '../../session/api/session.queries';
import { reviewKeys } from '../api/reviews.queries';
import { CampaignsPage } from './CampaignsPage';

const CAMPAIGNS = pagesOf([
  campaignFixture('arc_late', {
    name: 'Q3 review',
    scope: { dataCategories: ['personal'] },
    progress: { total: 4, pending: 0, overdue: 2, decided: { keep: 1, narrow: 0, revoke: 1 } },
  }),
  campaignFixture('arc_closed', { name: 'Q2 review', status: 'closed', progress: { total: 2, pending: 0, overdue: 0, decided: { keep: 2, narrow: 0, revoke: 0 } } }),
]);

const rowOf = (id: string): HTMLElement => {
  const row = document.querySelector<HTMLElement>(`tr[data-campaign-id="${id}"]`);
  if (!row) throw new Error(`no row for ${id}`);
  return row;
};

describe('CampaignsPage', () => {
  it('lists campaigns with what they review, their status and progress, overdue in red', () => {
    renderWithApp(<CampaignsPage />, [[reviewKeys.campaigns({}), CAMPAIGNS]]);
    const late = rowOf('arc_late');
    expect(within(late).getByRole('link', { name: 'Q3 review' }).getAttribute('href')).toBe('/reviews/campaigns/arc_late');
    expect(cellsOf(late)[1]).toBe('Tokens of data categories personal');
    expect(cellsOf(late)[3]).toBe('open');
    const bar = within(late).getByLabelText('2 of 4 decided, 2 overdue');
    expect(Array.from(bar.querySelectorAll('[role="progressbar"]')).map((s) => [s.getAttribute('aria-valuenow'), s.getAttribute('style')?.match(/color-(\w+)-filled/)?.[1]])).toEqual([
      ['50', 'teal'],
      ['50', 'red'],
    ]);
    const overdue = within(late).getByText('2 overdue');
    expect(overdue.getAttribute('style') ?? overdue.className).toMatch(/red/);
    expect(cellsOf(rowOf('arc_closed'))[4]).toBe('2 of 2 decided');
  });

  it('offers an owner a new campaign: all tokens reviewed by their stewards unless told otherwise', async () => {
    const user = setupUser();
    renderWithApp(<CampaignsPage />, [[reviewKeys.campaigns({}), CAMPAIGNS], usersSeed()]);
    await user.click(screen.getByRole('button', { name: 'New campaign' }));
    const dialog = await screen.findByRole('dialog');
    expect((within(dialog).getByRole('radio', { name: 'All active tokens' }) as HTMLInputElement).checked).toBe(true);
    expect((within(dialog).getByRole('radio', { name: "Each token's steward" }) as HTMLInputElement).checked).toBe(true);
    expect(within(dialog).queryByLabelText('Data categories')).toBeNull();

    await user.click(within(dialog).getByRole('radio', { name: 'Tokens matching every criterion below' }));
    expect(within(dialog).getByLabelText('Data categories').tagName).toBe('INPUT');
    await user.click(within(dialog).getByRole('radio', { name: 'One user reviews them all' }));
    await user.click(within(dialog).getByRole('button', { name: 'Open campaign' }));
    expect(fieldErrorOf(within(dialog).getByRole('textbox', { name: /^Name/ }))).toBe('Name the campaign');
    expect(fieldErrorOf(within(dialog).getByLabelText('Reviewing user'))).toBe('Pick the reviewer');
    expect(within(dialog).getByText('Give at least one service, data category or scope').tagName).toBe('P');
  });

  it('lets every other role read campaigns but not open one', () => {
    renderWithApp(<CampaignsPage />, [
      [reviewKeys.campaigns({}), CAMPAIGNS],
      [sessionKeys.me(), sessionWith('operator', [...ROLE_SCOPES.operator])],
    ]);
    expect(rowOf('arc_late').tagName).toBe('TR');
    expect(screen.queryByRole('button', { name: 'New campaign' })).toBeNull();
  });
});
