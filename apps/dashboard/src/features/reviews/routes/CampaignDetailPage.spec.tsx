/** @jest-environment jsdom */
import { describe, expect, it } from '@jest/globals';
import { ROLE_SCOPES, type Role } from '@custos/contracts';
import { screen, within } from '@testing-library/react';
import { setupUser } from '../../../test/user';
import { Route, Routes } from 'react-router';
import { reportFixture } from '../../../test/compliance-fixtures';
import { cellsOf, factOf } from '../../../test/dom';
import { renderWithApp, sessionWith } from '../../../test/render';
import { campaignFixture, pagesOf, reviewItemFixture } from '../../../test/review-fixtures';
import { usersSeed } from '../../../test/user-fixtures';
import { sessionKeys } from '../../session/api/session.queries';
import { reviewKeys, type Campaign, type ReviewItem } from '../api/reviews.queries';
import { CampaignDetailPage } from './CampaignDetailPage';

const ITEMS = [
  reviewItemFixture('ari_1', { tokenName: 'orders reader', reviewerUserId: 'usr_ana' }),
  reviewItemFixture('ari_2', {
    tokenName: 'billing export',
    reviewerUserId: null,
    status: 'decided',
    decision: 'narrow',
    decidedScopes: ['patients:read'],
    comment: 'write unused',
    decidedBy: 'usr_1',
    decidedAt: '2026-12-02T10:00:00.000Z',
    effect: 'narrowed: removed patients:write',
  }),
];
const OVERDUE = [reviewItemFixture('ari_3', { tokenName: 'old batch', status: 'overdue', effect: 'suspended: not reviewed by the due date' })];

function renderCampaign(campaign: Campaign, { role = 'owner', extra = [] }: { role?: Role; extra?: Array<[readonly unknown[], unknown]> } = {}) {
  return renderWithApp(
    <Routes>
      <Route path="/reviews/campaigns/:campaignId" element={<CampaignDetailPage />} />
    </Routes>,
    [
      [sessionKeys.me(), sessionWith(role, [...ROLE_SCOPES[role]])],
      [reviewKeys.campaign(campaign.id), campaign],
      [reviewKeys.items({ campaignId: campaign.id }), pagesOf<ReviewItem>(ITEMS)],
      [reviewKeys.items({ campaignId: campaign.id, status: 'overdue' }), pagesOf<ReviewItem>(OVERDUE)],
      usersSeed(),
      ...extra,
    ],
    `/reviews/campaigns/${campaign.id}`,
  );
}

const region = (name: string) => screen.getByRole('region', { name });
const rowOf = (scope: HTMLElement, id: string): HTMLElement => {
  const row = scope.querySelector<HTMLElement>(`tr[data-item-id="${id}"]`);
  if (!row) throw new Error(`no row for ${id}`);
  return row;
};

describe('CampaignDetailPage', () => {
  it('shows what the campaign reviews, its progress and every item with its decision and effect', () => {
    renderCampaign(campaignFixture('arc_1', { name: 'Q4 review', reviewer: { userId: 'usr_ana' } }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Q4 review');
    const facts = region('Campaign');
    expect([factOf(facts, 'Reviews'), factOf(facts, 'Reviewer'), factOf(facts, 'Undecided at the due date')]).toEqual([
      'All active tokens',
      'ana@acme.test',
      'Suspend the token',
    ]);
    const items = region('Items');
    expect(cellsOf(rowOf(items, 'ari_1')).slice(0, 4)).toEqual(['orders reader', 'ana@acme.test', 'pending', '—']);
    expect(cellsOf(rowOf(items, 'ari_2'))).toEqual(
      expect.arrayContaining(['billing export', 'Any owner or admin', 'decided', 'Narrowedpatients:read', 'narrowed: removed patients:write', 'write unused']),
    );
    // Nothing is overdue: no list of it.
    expect(screen.queryByRole('region', { name: 'Overdue' })).toBeNull();
  });

  it('lists the overdue items apart, and offers an owner to close the campaign', () => {
    renderCampaign(campaignFixture('arc_1', { progress: { total: 3, pending: 1, overdue: 1, decided: { keep: 0, narrow: 1, revoke: 0 } } }));
    const overdue = region('Overdue');
    expect(cellsOf(rowOf(overdue, 'ari_3'))).toEqual(expect.arrayContaining(['old batch', 'overdue', 'suspended: not reviewed by the due date']));
    expect(screen.getByRole('button', { name: 'Close campaign' }).tagName).toBe('BUTTON');
  });

  it('offers an operator no close', () => {
    renderCampaign(campaignFixture('arc_1'), { role: 'operator' });
    expect(screen.queryByRole('button', { name: 'Close campaign' })).toBeNull();
  });

  it('offers the reports of a closed campaign once the worker made them, and their status until then', () => {
    const reportIds = { json: 'rpt_j', csv: 'rpt_c', pdf: 'rpt_p' };
    renderCampaign(campaignFixture('arc_1', { status: 'closed', closedAt: '2026-12-03T10:00:00.000Z', closedBy: 'usr_1', reportIds }), {
      extra: [
        [reviewKeys.report('rpt_j'), reportFixture('rpt_j', { framework: null, campaignId: 'arc_1', format: 'json' })],
        [reviewKeys.report('rpt_c'), reportFixture('rpt_c', { framework: null, campaignId: 'arc_1', format: 'csv' })],
        [reviewKeys.report('rpt_p'), reportFixture('rpt_p', { framework: null, campaignId: 'arc_1', format: 'pdf', status: 'running' })],
      ],
    });
    const reports = screen.getByRole('group', { name: 'Reports' });
    expect(within(reports).getAllByRole('button').map((b) => b.textContent)).toEqual(['Download JSON', 'Download CSV']);
    expect(reports.querySelector('[data-report-format="pdf"]')?.textContent).toBe('PDFrunning');
    expect(screen.queryByRole('button', { name: 'Close campaign' })).toBeNull();
    expect(factOf(region('Campaign'), 'Closed')).toMatch(/by me@acme\.test$/);
  });

  it('lets an owner decide any pending item from the campaign: its buttons open the decision dialog', async () => {
    const user = setupUser();
    renderCampaign(campaignFixture('arc_1'));
    const items = region('Items');
    expect(within(rowOf(items, 'ari_1')).getAllByRole('button').map((b) => b.textContent)).toEqual(['Keep', 'Narrow', 'Revoke']);
    expect(within(rowOf(items, 'ari_2')).queryAllByRole('button')).toEqual([]);
    await user.click(within(rowOf(items, 'ari_1')).getByRole('button', { name: 'Keep' }));
    expect(within(await screen.findByRole('dialog')).getByRole('textbox', { name: /^Comment/ }).tagName).toBe('TEXTAREA');
  });

  it('lets a viewer decide only the items assigned to them, and nobody decide in a closed campaign', () => {
    const mine = reviewItemFixture('ari_9', { tokenName: 'mine', reviewerUserId: 'usr_1' });
    const items = [[reviewKeys.items({ campaignId: 'arc_1' }), pagesOf<ReviewItem>([mine, ...ITEMS])]] as Array<[readonly unknown[], unknown]>;
    const view = renderCampaign(campaignFixture('arc_1'), { role: 'viewer', extra: items });
    expect(within(rowOf(region('Items'), 'ari_9')).getAllByRole('button').map((b) => b.textContent)).toEqual(['Keep', 'Narrow', 'Revoke']);
    expect(within(rowOf(region('Items'), 'ari_1')).queryAllByRole('button')).toEqual([]);
    view.unmount();
    renderCampaign(campaignFixture('arc_1', { status: 'closed', closedAt: '2026-12-03T10:00:00.000Z', closedBy: 'usr_1' }), { extra: items });
    expect(within(rowOf(region('Items'), 'ari_1')).queryAllByRole('button')).toEqual([]);
  });
});
