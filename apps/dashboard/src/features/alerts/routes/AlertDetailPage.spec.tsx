/** @jest-environment jsdom */
import { describe, expect, it } from '@jest/globals';
import { ROLE_SCOPES, type Role } from '@custos/contracts';
import { fireEvent, screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { formatDateTime } from '../../../shared/format/format';
import { alertFixture } from '../../../test/alert-fixtures';
import { cellsOf, dialogTitleOf, factOf } from '../../../test/dom';
import { renderWithApp, sessionWith } from '../../../test/render';
import { tokenFixture } from '../../../test/token-fixtures';
import { sessionKeys } from '../../session/api/session.queries';
import { tokenKeys, type Token } from '../../tokens/api/tokens.queries';
import { alertKeys, type Alert } from '../api/alerts.queries';
import { AlertDetailPage } from './AlertDetailPage';

function renderAlert(alert: Alert, { role = 'owner', token = tokenFixture('tok_shared', { name: 'orders reader' }) }: { role?: Role; token?: Token } = {}) {
  const session = sessionWith(role, [...ROLE_SCOPES[role]]);
  return renderWithApp(
    <Routes>
      <Route path="/alerts/:alertId" element={<AlertDetailPage />} />
    </Routes>,
    [
      [sessionKeys.me(), { ...session, user: { ...session.user, id: 'usr_me' } }],
      [alertKeys.detail(alert.id), alert],
      [tokenKeys.detail(token.id), token],
    ],
    `/alerts/${alert.id}`,
  );
}

const region = (name: string) => screen.getByRole('region', { name });
const allButtons = () => screen.queryAllByRole('button').map((b) => b.textContent);
/** The actions on the alert and its token; the breach impact download is a report, checked on its own. */
const buttons = () => allButtons().filter((name) => name !== 'Breach impact');

describe('AlertDetailPage', () => {
  it('shows the rule, what it is about, what the rule saw, what was done, and the evidence', () => {
    renderAlert(alertFixture('alr_1'));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Many networks');
    const happened = region('What happened');
    expect(within(happened).getByRole('link', { name: 'orders reader' }).getAttribute('href')).toBe('/tokens/tok_shared');
    expect([factOf(happened, 'Count'), factOf(happened, 'First seen'), factOf(happened, 'Last seen')]).toEqual([
      '14',
      formatDateTime('2026-12-02T09:00:00.000Z'),
      formatDateTime('2026-12-02T09:05:00.000Z'),
    ]);
    const details = region('Details');
    expect([factOf(details, 'Distinct client addresses'), factOf(details, 'Threshold'), factOf(details, 'Window')]).toEqual(['12', '10', '1 hour']);
    expect(factOf(region('Remediation'), 'Action')).toBe('None: the rule only alerts');
    expect(within(region('Handling')).getByText('Nobody has acknowledged it yet.').tagName).toBe('P');
    const evidence = within(region('Evidence')).getAllByRole('row').slice(1);
    expect(evidence.map((row) => cellsOf(row).slice(1))).toEqual([
      ['VALID', '203.0.113.0/24', 'Germany (DE)', 'orders/list', 'https'],
      ['VALID', '198.51.100.0/24', 'Unknown', '—', 'http'],
    ]);
  });

  it('offers an owner every action on an open alert about a live token; acknowledging asks for an optional comment', async () => {
    renderAlert(alertFixture('alr_1'));
    expect(buttons()).toEqual(['Acknowledge', 'Resolve', 'Suspend token', 'Revoke token']);
    fireEvent.click(screen.getByRole('button', { name: 'Acknowledge' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialogTitleOf(dialog)).toBe('Acknowledge this alert?');
    expect((within(dialog).getByRole('textbox', { name: 'Comment (optional)' }) as HTMLTextAreaElement).required).toBe(false);
    expect((within(dialog).getByRole('button', { name: 'Acknowledge' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('asks for a reason before revoking the token', async () => {
    renderAlert(alertFixture('alr_1'));
    fireEvent.click(screen.getByRole('button', { name: 'Revoke token' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialogTitleOf(dialog)).toBe('Revoke "orders reader"?');
    expect((within(dialog).getByRole('button', { name: 'Revoke' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows who acknowledged it, when and what they said, and then offers only Resolve; a suspended token can only be revoked', () => {
    renderAlert(
      alertFixture('alr_1', { status: 'acknowledged', acknowledged: { at: '2026-12-02T10:00:00.000Z', by: 'usr_me', comment: 'on it' } }),
      { token: tokenFixture('tok_shared', { status: 'suspended' }) },
    );
    const acknowledged = within(screen.getByRole('group', { name: 'Acknowledged' }));
    expect(acknowledged.getByText('me@acme.test').getAttribute('title')).toBe('user usr_me');
    expect(factOf(region('Handling'), 'Comment')).toBe('on it');
    expect(factOf(region('Handling'), 'At')).toBe(formatDateTime('2026-12-02T10:00:00.000Z'));
    expect(buttons()).toEqual(['Resolve', 'Revoke token']);
  });

  it('offers nothing on a resolved alert about a revoked token, and a leak report says why nothing was used', () => {
    renderAlert(
      alertFixture('alr_9', {
        rule: 'leaked',
        severity: 'critical',
        status: 'resolved',
        evidence: [],
        details: { via: 'public', url: 'https://paste.example/abc', source: null, reportedAt: '2026-12-02T09:00:00.000Z' },
        remediation: { action: 'revoke', at: '2026-12-02T09:00:00.000Z' },
        resolved: { at: '2026-12-02T11:00:00.000Z', by: 'tok_key', comment: null },
      }),
      { token: tokenFixture('tok_shared', { status: 'revoked' }) },
    );
    expect(buttons()).toEqual([]);
    expect(factOf(region('Remediation'), 'Action')).toBe('Token revoked');
    expect(factOf(region('Details'), 'Where it was found')).toBe('https://paste.example/abc');
    // Anyone may report a leak: the URL they gave is never made a link.
    expect(within(region('Details')).queryByRole('link')).toBeNull();
    expect(within(region('Evidence')).getByText(/^A leak report is not a use/).tagName).toBe('P');
    expect(within(screen.getByRole('group', { name: 'Resolved' })).getByRole('link').getAttribute('href')).toBe('/tokens/tok_key');
  });

  it('says why remediation left the token alone', () => {
    renderAlert(alertFixture('alr_1', { remediation: { action: 'none', skipped: 'owner_service_key' } }));
    expect(factOf(region('Remediation'), 'Action')).toBe('Left alone: this key administers the tenant');
  });

  it('offers an auditor nothing to do but the breach impact report of its token', () => {
    renderAlert(alertFixture('alr_1'), { role: 'auditor' });
    expect(allButtons()).toEqual(['Breach impact']);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Many networks');
  });

  it('names the network of a brute-force alert and offers no token action', () => {
    renderAlert(alertFixture('alr_7', { rule: 'brute_force', subject: 'network:203.0.113.0/24', tokenId: null, details: { failures: 25, threshold: 20, windowSeconds: 60 } }));
    expect(factOf(region('What happened'), 'About (network)')).toBe('network203.0.113.0/24');
    expect(factOf(region('Details'), 'MALFORMED or NOT_FOUND answers')).toBe('25');
    expect(allButtons()).toEqual(['Acknowledge', 'Resolve']);
  });
});
