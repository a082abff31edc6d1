/** @jest-environment jsdom */
import { describe, expect, it } from '@jest/globals';
import { screen, within } from '@testing-library/react';
import { reportFixture } from '../../../test/compliance-fixtures';
import { renderWithApp, sessionWith } from '../../../test/render';
import { cellsOf, columnOf, isEnabled } from '../../../test/dom';
import { sessionKeys } from '../../session/api/session.queries';
import { reportKeys, type Report } from '../api/compliance.queries';
import { ReportsPanel } from './ReportsPanel';

const PERIOD = { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' };

const pagesOf = (items: Report[]) => ({ pages: [{ items, nextCursor: null }], pageParams: [undefined] });

const reports = pagesOf([
  reportFixture('rpt_done', { format: 'pdf' }),
  reportFixture('rpt_failed', { status: 'failed', format: 'csv', summary: null, sha256: null, error: 'evidence query timed out' }),
  reportFixture('rpt_done_json', { framework: 'gdpr', format: 'json', summary: { pass: 5, warn: 0, fail: 2 } }),
]);

const OPERATOR_SCOPES = ['custos:tokens:read', 'custos:tokens:issue', 'custos:audit:read', 'custos:reports:read'];

const rowOf = (id: string): HTMLElement => {
  const row = document.querySelector<HTMLElement>(`[data-report-id="${id}"]`);
  if (!row) throw new Error(`no row for ${id}`);
  return row;
};

describe('ReportsPanel', () => {
  it('lists reports with status, framework, period and format, and offers a download only when done', () => {
    renderWithApp(<ReportsPanel framework="soc2" period={PERIOD} />, [[reportKeys.list(), reports]]);
    expect(within(screen.getByRole('table', { name: 'Reports' })).getAllByRole('row')).toHaveLength(4);

    expect(cellsOf(rowOf('rpt_done'))).toEqual(expect.arrayContaining(['done', 'SOC 2', 'PDF', '8 pass · 1 warn · 1 fail']));
    const requester = within(rowOf('rpt_done')).getByText('auditor@acme.test');
    expect([columnOf(requester), requester.getAttribute('title')]).toEqual(['Requested', 'user usr_1']);
    expect(isEnabled(within(rowOf('rpt_done')).getByRole('button', { name: 'Download' }))).toBe(true);
    expect(isEnabled(within(rowOf('rpt_done_json')).getByRole('button', { name: 'Download' }))).toBe(true);
    expect(cellsOf(rowOf('rpt_done_json'))).toContain('GDPR');

    expect(cellsOf(rowOf('rpt_failed'))).toEqual(expect.arrayContaining(['failed', 'evidence query timed out']));
    expect(within(rowOf('rpt_failed')).queryByRole('button', { name: 'Download' })).toBeNull();
  });

  it('names an access review campaign\'s report, which has no framework', () => {
    renderWithApp(<ReportsPanel framework="soc2" period={PERIOD} />, [[reportKeys.list(), pagesOf([reportFixture('rpt_arc', { framework: null, campaignId: 'arc_1' })])]]);
    expect(cellsOf(rowOf('rpt_arc'))).toEqual(expect.arrayContaining(['done', 'Access review', 'PDF']));
  });

  it('offers no download while a report is queued or running', () => {
    renderWithApp(<ReportsPanel framework="soc2" period={PERIOD} />, [
      [reportKeys.list(), pagesOf([reportFixture('rpt_q', { status: 'queued', summary: null }), reportFixture('rpt_r', { status: 'running', summary: null })])],
    ]);
    expect(cellsOf(rowOf('rpt_q'))).toContain('Waiting for the worker');
    expect(cellsOf(rowOf('rpt_r'))).toContain('Being generated');
    expect(screen.queryByRole('button', { name: 'Download' })).toBeNull();
  });

  it('offers "Generate report" to a role holding custos:reports:write', () => {
    renderWithApp(<ReportsPanel framework="soc2" period={PERIOD} />, [[reportKeys.list(), reports]]);
    expect(isEnabled(screen.getByRole('button', { name: 'Generate report' }))).toBe(true);
    expect(isEnabled(screen.getByRole('combobox', { name: 'Format' }))).toBe(true);
  });

  it('hides "Generate report" from a role without custos:reports:write, and keeps the downloads', () => {
    renderWithApp(<ReportsPanel framework="soc2" period={PERIOD} />, [
      [reportKeys.list(), reports],
      [sessionKeys.me(), sessionWith('operator', OPERATOR_SCOPES)],
    ]);
    expect(screen.queryByRole('button', { name: 'Generate report' })).toBeNull();
    expect(screen.queryByRole('combobox', { name: 'Format' })).toBeNull();
    expect(isEnabled(within(rowOf('rpt_done')).getByRole('button', { name: 'Download' }))).toBe(true);
  });

  it('cannot generate while the period runs backwards', () => {
    renderWithApp(<ReportsPanel framework="soc2" period={null} />, [[reportKeys.list(), reports]]);
    expect(screen.getByRole('button', { name: 'Generate report' }).hasAttribute('disabled')).toBe(true);
  });
});
