/** @jest-environment jsdom */
import { describe, expect, it } from '@jest/globals';
import { screen, within } from '@testing-library/react';
import { reportFixture } from '../../../test/compliance-fixtures';
import { renderWithApp, sessionWith } from '../../../test/render';
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

    const done = within(rowOf('rpt_done'));
    expect(done.getByText('done')).toBeTruthy();
    expect(done.getByText('SOC 2')).toBeTruthy();
    expect(done.getByText('PDF')).toBeTruthy();
    expect(done.getByText('8 pass · 1 warn · 1 fail')).toBeTruthy();
    expect(done.getByRole('button', { name: 'Download' })).toBeTruthy();
    expect(within(rowOf('rpt_done_json')).getByRole('button', { name: 'Download' })).toBeTruthy();
    expect(within(rowOf('rpt_done_json')).getByText('GDPR')).toBeTruthy();

    const failed = within(rowOf('rpt_failed'));
    expect(failed.getByText('failed')).toBeTruthy();
    expect(failed.getByText('evidence query timed out')).toBeTruthy();
    expect(failed.queryByRole('button', { name: 'Download' })).toBeNull();
  });

  it('offers no download while a report is queued or running', () => {
    renderWithApp(<ReportsPanel framework="soc2" period={PERIOD} />, [
      [reportKeys.list(), pagesOf([reportFixture('rpt_q', { status: 'queued', summary: null }), reportFixture('rpt_r', { status: 'running', summary: null })])],
    ]);
    expect(within(rowOf('rpt_q')).getByText('Waiting for the worker')).toBeTruthy();
    expect(within(rowOf('rpt_r')).getByText('Being generated')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Download' })).toBeNull();
  });

  it('offers "Generate report" to a role holding custos:reports:write', () => {
    renderWithApp(<ReportsPanel framework="soc2" period={PERIOD} />, [[reportKeys.list(), reports]]);
    expect(screen.getByRole('button', { name: 'Generate report' })).toBeTruthy();
    expect(screen.getByRole('combobox', { name: 'Format' })).toBeTruthy();
  });

  it('hides "Generate report" from a role without custos:reports:write, and keeps the downloads', () => {
    renderWithApp(<ReportsPanel framework="soc2" period={PERIOD} />, [
      [reportKeys.list(), reports],
      [sessionKeys.me(), sessionWith('operator', OPERATOR_SCOPES)],
    ]);
    expect(screen.queryByRole('button', { name: 'Generate report' })).toBeNull();
    expect(screen.queryByRole('combobox', { name: 'Format' })).toBeNull();
    expect(within(rowOf('rpt_done')).getByRole('button', { name: 'Download' })).toBeTruthy();
  });

  it('cannot generate while the period runs backwards', () => {
    renderWithApp(<ReportsPanel framework="soc2" period={null} />, [[reportKeys.list(), reports]]);
    expect(screen.getByRole('button', { name: 'Generate report' }).hasAttribute('disabled')).toBe(true);
  });
});
