/** @jest-environment jsdom */
import { describe, expect, it } from '@jest/globals';
import { ROLE_SCOPES, type Role } from '@custos/contracts';
import { screen, within } from '@testing-library/react';
import { AppLayout } from '../../../app/AppLayout';
import { formatDateTime } from '../../../shared/format/format';
import { alertFixture } from '../../../test/alert-fixtures';
import { cellsOf, columnOf } from '../../../test/dom';
import { renderWithApp, sessionWith } from '../../../test/render';
import { tokenFixture } from '../../../test/token-fixtures';
import { sessionKeys } from '../../session/api/session.queries';
import { tokenKeys } from '../../tokens/api/tokens.queries';
import { alertFiltersFromSearch, alertListParams } from '../api/alert-search';
import { alertKeys, type Alert } from '../api/alerts.queries';
import { AlertsPage } from './AlertsPage';

const sessionOf = (role: Role) => sessionWith(role, [...ROLE_SCOPES[role]]);

/** Seeds exactly the page of alerts the inbox asks for at `search`. */
function renderInbox(search: string, alerts: Alert[], nextCursor: string | null = null) {
  const params = alertListParams(alertFiltersFromSearch(new URLSearchParams(search)));
  return renderWithApp(
    <AlertsPage />,
    [
      [tokenKeys.detail('tok_shared'), tokenFixture('tok_shared', { name: 'orders reader' })],
      [tokenKeys.detail('tok_key'), tokenFixture('tok_key', { name: 'deploy key' })],
      [alertKeys.list(params), { pages: [{ items: alerts, nextCursor }], pageParams: [undefined] }],
    ],
    `/alerts${search ? `?${search}` : ''}`,
  );
}

const rowsOf = () => within(screen.getByRole('table', { name: 'Alerts' })).getAllByRole('row').slice(1);

describe('AlertsPage', () => {
  it('lists open alerts by default: severity, rule, token by name, count, last seen, status and what was done', () => {
    renderInbox('', [
      alertFixture('alr_2', { remediation: { action: 'suspend', at: '2026-12-02T09:00:02.000Z' } }),
      alertFixture('alr_1', { rule: 'dead_token_used', severity: 'medium', count: 1, details: {}, remediation: { action: 'none', skipped: 'owner_service_key' } }),
    ]);
    expect((screen.getByRole('radio', { name: 'Open' }) as HTMLInputElement).checked).toBe(true);
    expect(rowsOf().map(cellsOf)).toEqual([
      ['high', 'Many networks', 'orders reader', '14', formatDateTime('2026-12-02T09:05:00.000Z'), 'open', 'suspended'],
      ['medium', 'Dead token used', 'orders reader', '1', formatDateTime('2026-12-02T09:05:00.000Z'), 'open', 'skipped: admin key'],
    ]);
    const token = within(rowsOf()[0]!).getByRole('link', { name: 'orders reader' });
    expect([columnOf(token), token.getAttribute('href')]).toEqual(['Token', '/tokens/tok_shared']);
    expect(within(rowsOf()[0]!).getByRole('link', { name: 'Many networks' }).getAttribute('href')).toBe('/alerts/alr_2');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('names a brute-force subject: the caller key by name, or the network', () => {
    renderInbox('status=all', [
      alertFixture('alr_3', { rule: 'brute_force', subject: 'caller:tok_key', tokenId: 'tok_key' }),
      alertFixture('alr_4', { rule: 'brute_force', subject: 'network:203.0.113.0/24', tokenId: null }),
    ]);
    expect(rowsOf().map((row) => cellsOf(row)[2])).toEqual(['callerdeploy key', 'network203.0.113.0/24']);
  });

  it('reads its filters from the URL and offers the next page', () => {
    renderInbox('status=all&severity=critical&rule=leaked', [alertFixture('alr_5', { rule: 'leaked', severity: 'critical' })], 'next');
    expect((screen.getByRole('radio', { name: 'All' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('combobox', { name: 'Severity' }) as HTMLInputElement).value).toBe('critical');
    expect((screen.getByRole('combobox', { name: 'Rule' }) as HTMLInputElement).value).toBe('Leaked token');
    expect(screen.getByRole('button', { name: 'Load more' }).tagName).toBe('BUTTON');
  });

  it('says what it looked for when nothing matches', () => {
    const { unmount } = renderInbox('', []);
    expect(screen.getByText('No open alerts').tagName).toBe('P');
    unmount();
    renderInbox('status=resolved&severity=high', []);
    expect(screen.getByText('No resolved high alerts').tagName).toBe('P');
  });
});

describe('the Alerts entry of the navigation', () => {
  it('is there for the roles that read alerts, not for a viewer', () => {
    for (const role of ['owner', 'admin', 'operator', 'auditor', 'viewer'] as const) {
      const { unmount } = renderWithApp(<AppLayout />, [[sessionKeys.me(), sessionOf(role)]]);
      const entry = within(screen.getByRole('navigation', { name: 'Main' })).queryByRole('link', { name: 'Alerts' });
      expect([role, entry?.getAttribute('href') ?? null]).toEqual([role, role === 'viewer' ? null : '/alerts']);
      unmount();
    }
  });
});
