/** @jest-environment jsdom */
import { describe, expect, it } from '@jest/globals';
import { screen, within } from '@testing-library/react';
import { boundTokenFixture, consentDetailFixture } from '../../../test/consent-fixtures';
import { renderWithApp, sessionWith } from '../../../test/render';
import { columnOf, isEnabled } from '../../../test/dom';
import { sessionKeys } from '../../session/api/session.queries';
import { consentKeys } from '../api/consents.queries';
import { ConsentDrawer } from './ConsentDrawer';

const detail = consentDetailFixture('cns_1', {
  subjectRef: 'cust_42',
  version: 2,
  versions: [
    { id: 'cnv_1', version: 1, supersedesId: null, validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2026-06-01T00:00:00.000Z', createdAt: '2026-01-01T00:00:00.000Z', createdBy: null, createdByActor: null },
    { id: 'cnv_2', version: 2, supersedesId: 'cnv_1', validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2027-01-01T00:00:00.000Z', createdAt: '2026-05-01T00:00:00.000Z', createdBy: 'usr_1',
      createdByActor: { id: 'usr_1', kind: 'user', email: 'ana@acme.test', name: null, removedAt: '2026-06-01T00:00:00.000Z' } },
  ],
  tokens: [
    boundTokenFixture('tok_1', { name: 'mailer', dataCategories: ['email'] }),
    boundTokenFixture('tok_2', { name: 'old mailer', status: 'revoked', revokedAt: '2026-03-01T00:00:00.000Z', revokedReason: 'consent_withdrawn' }),
  ],
  boundTokens: 2,
});

describe('ConsentDrawer', () => {
  it("shows the consent's fields, its versions and its bound tokens with their revocation", () => {
    renderWithApp(<ConsentDrawer consentId="cns_1" onClose={() => undefined} />, [[consentKeys.detail('cns_1'), detail]]);
    expect(screen.getByRole('link', { name: 'cust_42' }).getAttribute('href')).toBe('/subjects/cust_42');
    const versions = screen.getByRole('table', { name: 'Consent versions' });
    expect(within(versions).getAllByRole('row')).toHaveLength(3);
    expect(columnOf(within(versions).getByText('2 (renewal)'))).toBe('Version');
    // Who recorded the renewal: their e-mail (they have been removed since), the id in the title.
    const author = within(versions).getByText('ana@acme.test (removed)');
    expect([columnOf(author), author.getAttribute('title')]).toEqual(['Recorded', 'user usr_1']);
    const tokens = screen.getByRole('table', { name: 'Bound tokens' });
    expect(within(tokens).getByRole('link', { name: 'mailer' }).getAttribute('href')).toBe('/tokens/tok_1');
    expect(columnOf(within(tokens).getByText('consent_withdrawn'))).toBe('Revoked');
    expect(isEnabled(screen.getByRole('button', { name: 'Withdraw' }))).toBe(true);
    expect(isEnabled(screen.getByRole('button', { name: 'Renew' }))).toBe(true);
  });

  it('offers no change to an auditor', () => {
    renderWithApp(<ConsentDrawer consentId="cns_1" onClose={() => undefined} />, [
      [consentKeys.detail('cns_1'), detail],
      [sessionKeys.me(), sessionWith('auditor', ['custos:tokens:read', 'custos:consents:read', 'custos:audit:read'])],
    ]);
    expect(within(screen.getByRole('table', { name: 'Bound tokens' })).getAllByRole('row')).toHaveLength(3);
    expect(screen.queryByRole('button', { name: 'Withdraw' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Renew' })).toBeNull();
    expect(screen.queryByRole('link', { name: /Issue a token/ })).toBeNull();
  });

  it('offers no withdrawal of a consent already withdrawn', () => {
    renderWithApp(<ConsentDrawer consentId="cns_1" onClose={() => undefined} />, [
      [consentKeys.detail('cns_1'), { ...detail, status: 'withdrawn', withdrawnAt: '2026-03-01T00:00:00.000Z' }],
    ]);
    // The heading shows the status beside the consent's id.
    expect(screen.getByText('cns_1').previousElementSibling?.textContent).toBe('withdrawn');
    expect(screen.queryByRole('button', { name: 'Withdraw' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Renew' })).toBeNull();
  });
});
