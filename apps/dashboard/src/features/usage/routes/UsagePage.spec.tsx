/** @jest-environment jsdom */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ROLE_SCOPES, type Role } from '@custos/contracts';
import { screen, within } from '@testing-library/react';
import { AppLayout } from '../../../app/AppLayout';
import { giveChartsASize } from '../../../test/charts';
import { cellsOf, columnOf } from '../../../test/dom';
import { renderWithApp, sessionWith } from '../../../test/render';
import { tokenFixture } from '../../../test/token-fixtures';
import { eventPages, REGIONS, usageEventFixture } from '../../../test/usage-fixtures';
import { serviceKeys } from '../../services/api/services.queries';
import { sessionKeys } from '../../session/api/session.queries';
import { tokenKeys } from '../../tokens/api/tokens.queries';
import { usageRequestsOf, usageSelectionFromSearch } from '../api/usage-search';
import { usageKeys, type UsageCounts, type UsageEvent } from '../api/usage.queries';
import { EVENTS_PAGE_SIZE } from '../components/UsageEventsPanel';
import { UsagePage } from './UsagePage';

let undoSize: () => void;
beforeAll(() => {
  undoSize = giveChartsASize();
});
afterAll(() => undoSize());

const sessionOf = (role: Role) => sessionWith(role, [...ROLE_SCOPES[role]]);

/** Seeds exactly the requests the page makes for `search` (now: the default period is the last 30 days). */
function renderPage(search: string, events: UsageEvent[], nextCursor: string | null = null) {
  const requests = usageRequestsOf(usageSelectionFromSearch(new URLSearchParams(search), new Date()));
  if (!requests) throw new Error('the period runs backwards');
  const overTime: UsageCounts = { ...requests.period, groupBy: requests.overTime.groupBy!, buckets: [{ key: requests.period.from.slice(0, 10), count: 5, byOutcome: { VALID: 4, GEO_BLOCKED: 1 } }] };
  const byCountry: UsageCounts = {
    ...requests.period,
    groupBy: 'country',
    buckets: [
      { key: 'DE', count: 4, byOutcome: { VALID: 4 } },
      { key: 'US', count: 1, byOutcome: { GEO_BLOCKED: 1 } },
    ],
  };
  return renderWithApp(
    <UsagePage />,
    [
      [serviceKeys.list(), []],
      [tokenKeys.detail('tok_1'), tokenFixture('tok_1', { name: 'orders reader' })],
      [usageKeys.regions(), REGIONS],
      [usageKeys.counts(requests.overTime), overTime],
      [usageKeys.counts(requests.byCountry), byCountry],
      [usageKeys.events({ ...requests.events, limit: EVENTS_PAGE_SIZE }), eventPages(events, nextCursor)],
    ],
    `/usage${search ? `?${search}` : ''}`,
  );
}

describe('UsagePage', () => {
  it('counts the period’s uses in each chart and lists them, newest first, with their network and where they stood against the border', () => {
    renderPage('', [
      usageEventFixture('3', { country: 'CH', region: 'EFTA', ipPrefix: '2001:db8:1::/48', geoFlagged: true }),
      usageEventFixture('2', { outcome: 'GEO_BLOCKED', country: 'US', region: 'US', ipPrefix: '8.8.8.0/24', crossBorder: true, resource: 'orders/42' }),
      usageEventFixture('1'),
    ]);
    expect(within(screen.getByRole('region', { name: 'Uses per day (UTC) by outcome' })).getByText('5 uses').tagName).toBe('P');
    expect(within(screen.getByRole('region', { name: 'Uses per country' })).getByText('5 uses').tagName).toBe('P');

    const rows = within(screen.getByRole('table', { name: 'Usage events' })).getAllByRole('row').slice(1);
    expect(rows.map((row) => cellsOf(row).slice(1))).toEqual([
      ['orders reader', 'VALID', 'Switzerland (CH) · EFTA', '2001:db8:1::/48', 'outside geofence', '—'],
      ['orders reader', 'GEO_BLOCKED', 'United States (US) · US', '8.8.8.0/24', 'cross-border', 'orders/42'],
      ['orders reader', 'VALID', 'Germany (DE) · EU', '193.99.144.0/24', 'no', '—'],
    ]);
    // The token by name, linking to its page, its id in the title.
    const token = within(rows[1]!).getByRole('link', { name: 'orders reader' });
    expect([columnOf(token), token.getAttribute('href'), token.getAttribute('title')]).toEqual(['Token', '/tokens/tok_1', 'token tok_1']);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('counts a day by hour, for the token in the URL, and offers the next page of uses', () => {
    renderPage('token=tok_1&from=2026-11-23&to=2026-11-23', [usageEventFixture('1')], 'next');
    expect(within(screen.getByRole('region', { name: 'Uses per hour by outcome' })).getByText('5 uses').tagName).toBe('P');
    expect(screen.getByRole('button', { name: 'Load more' }).tagName).toBe('BUTTON');
  });

  it('says when nothing was used, and asks for nothing while the days run backwards', () => {
    renderPage('', []);
    expect(screen.getByText('No uses yet').tagName).toBe('P');
    document.body.innerHTML = '';
    renderWithApp(<UsagePage />, [[serviceKeys.list(), []]], '/usage?from=2026-11-23&to=2026-11-01');
    expect(screen.getByText('The period runs backwards')).not.toBeNull();
    expect(screen.queryByRole('table', { name: 'Usage events' })).toBeNull();
  });
});

describe('the Usage entry of the navigation', () => {
  it('is there for every role: whoever reads a token may see where it is used from', () => {
    for (const role of ['owner', 'operator', 'auditor', 'viewer'] as const) {
      const { unmount } = renderWithApp(<AppLayout />, [[sessionKeys.me(), sessionOf(role)]]);
      expect(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Usage' }).getAttribute('href')).toBe('/usage');
      unmount();
    }
  });
});
