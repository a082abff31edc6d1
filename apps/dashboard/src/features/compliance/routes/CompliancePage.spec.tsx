/** @jest-environment jsdom */
import { describe, expect, it } from '@jest/globals';
import { ROLE_SCOPES, type Role } from '@custos/contracts';
import { screen } from '@testing-library/react';
import { AppLayout } from '../../../app/AppLayout';
import { controlFixture, controlTableFixture, reportFixture } from '../../../test/compliance-fixtures';
import { renderWithApp, sessionWith } from '../../../test/render';
import { isEnabled } from '../../../test/dom';
import { sessionKeys } from '../../session/api/session.queries';
import { periodOf } from '../../../shared/period/day-period';
import { selectionFromSearch } from '../api/compliance-search';
import { complianceKeys, EVIDENCE_LIMIT, reportKeys } from '../api/compliance.queries';
import { CompliancePage } from './CompliancePage';

/** The roles' real scopes (libs/contracts), so the page follows what the API will allow. */
const sessionOf = (role: Role) => sessionWith(role, [...ROLE_SCOPES[role]]);

function renderPageAs(role: Role) {
  // The page opens on SOC 2 over the last 30 days: seed exactly the table it asks for.
  const selection = selectionFromSearch(new URLSearchParams(), new Date());
  const period = periodOf(selection);
  if (!period) throw new Error('the default period runs backwards');
  return renderWithApp(<CompliancePage />, [
    [sessionKeys.me(), sessionOf(role)],
    [complianceKeys.controls({ framework: 'soc2', ...period, evidenceLimit: EVIDENCE_LIMIT }), controlTableFixture([controlFixture('token-owner', { status: 'fail' })])],
    [reportKeys.list(), { pages: [{ items: [reportFixture('rpt_1')], nextCursor: null }], pageParams: [undefined] }],
  ]);
}

describe('CompliancePage', () => {
  it('gives an auditor the controls, report generation and the audit bundle export', () => {
    renderPageAs('auditor');
    expect(screen.getAllByRole('heading').map((h) => h.textContent)).toContain('Compliance');
    expect(document.querySelector('[data-control-id="token-owner"]')).not.toBeNull();
    expect(isEnabled(screen.getByRole('button', { name: 'Generate report' }))).toBe(true);
    expect(isEnabled(screen.getByRole('button', { name: 'Download' }))).toBe(true);
    expect(isEnabled(screen.getByRole('button', { name: 'Export audit bundle' }))).toBe(true);
    expect(screen.getByText('custos audit verify <file>').tagName).toBe('CODE');
  });

  it('lets an operator read and download reports but not generate one', () => {
    renderPageAs('operator');
    expect(document.querySelector('[data-control-id="token-owner"]')).not.toBeNull();
    expect(isEnabled(screen.getByRole('button', { name: 'Download' }))).toBe(true);
    expect(screen.queryByRole('button', { name: 'Generate report' })).toBeNull();
  });

  it('shows a viewer nothing of it', () => {
    renderPageAs('viewer');
    expect(document.body.textContent).toContain('Your role cannot read compliance reports');
    expect(screen.queryByRole('table', { name: 'Controls' })).toBeNull();
  });
});

describe('the Compliance navigation entry', () => {
  it.each<[Role, boolean]>([
    ['owner', true],
    ['admin', true],
    ['operator', true],
    ['auditor', true],
    ['viewer', false],
  ])('for %s: %s', (role, shown) => {
    renderWithApp(<AppLayout />, [[sessionKeys.me(), sessionOf(role)]]);
    expect(screen.queryByRole('link', { name: 'Compliance' }) !== null).toBe(shown);
  });
});
