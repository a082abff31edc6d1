/** @jest-environment jsdom */
import { describe, expect, it } from '@jest/globals';
import { screen, within } from '@testing-library/react';
import { boundTokenFixture, consentDetailFixture } from '../../../test/consent-fixtures';
import { renderWithApp } from '../../../test/render';
import { columnOf, isEnabled } from '../../../test/dom';
import { exportFilename, subjectKeys, type SubjectReport } from '../api/subjects.queries';
import { SubjectReportView } from './SubjectReportView';

const report: SubjectReport = {
  subjectRef: 'cust_42',
  generatedAt: '2026-03-01T00:00:00.000Z',
  totals: { consents: 2, tokens: 3, uses: 1234 },
  consents: [
    consentDetailFixture('cns_1', {
      subjectRef: 'cust_42',
      purpose: 'newsletter',
      status: 'withdrawn',
      withdrawnAt: '2026-02-01T00:00:00.000Z',
      tokens: [boundTokenFixture('tok_1', { name: 'mailer', status: 'revoked', revokedAt: '2026-02-01T00:00:00.000Z', revokedReason: 'consent_withdrawn' })],
    }),
    consentDetailFixture('cns_2', { subjectRef: 'cust_42', purpose: 'analytics', tokens: [boundTokenFixture('tok_2'), boundTokenFixture('tok_3')] }),
  ],
};

describe('SubjectReportView', () => {
  it('shows the totals, each consent with its tokens and revocations, and the export', () => {
    renderWithApp(<SubjectReportView subjectRef="cust_42" />, [[subjectKeys.report('cust_42'), report]]);
    expect(screen.getByTestId('stat-consents').textContent).toBe('2');
    expect(screen.getByTestId('stat-tokens').textContent).toBe('3');
    expect(screen.getByTestId('stat-uses').textContent).toBe((1234).toLocaleString());
    const withdrawn = within(screen.getByRole('table', { name: 'Tokens bound to cns_1' }));
    expect(columnOf(withdrawn.getByText('consent_withdrawn'))).toBe('Revoked');
    expect(within(screen.getByRole('table', { name: 'Tokens bound to cns_2' })).getAllByRole('row')).toHaveLength(3);
    expect(within(screen.getByRole('table', { name: 'Versions of cns_2' })).getAllByRole('row')).toHaveLength(2);
    expect(isEnabled(screen.getByRole('button', { name: 'Export (JSON)' }))).toBe(true);
  });

  it('says so when nothing is recorded for the subject', () => {
    renderWithApp(<SubjectReportView subjectRef="cust_0" />, [[subjectKeys.report('cust_0'), { ...report, subjectRef: 'cust_0', consents: [] }]]);
    expect(document.body.textContent).toContain('No consents recorded for cust_0');
  });
});

describe('exportFilename', () => {
  it("takes the API's file name, else the documented one", () => {
    expect(exportFilename('attachment; filename="custos-subject-cust_42.json"', 'cust_42')).toBe('custos-subject-cust_42.json');
    expect(exportFilename(null, 'cust_42')).toBe('custos-subject-cust_42.json');
  });
});
