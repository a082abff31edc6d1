/** @jest-environment jsdom */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ROLE_SCOPES, type Role } from '@custos/contracts';
import { screen, within } from '@testing-library/react';
import { AppLayout } from '../../../app/AppLayout';
import { formatDateTime } from '../../../shared/format/format';
import { giveChartsASize } from '../../../test/charts';
import { cellsOf, columnOf } from '../../../test/dom';
import { renderWithApp, sessionWith } from '../../../test/render';
import { tokenFixture } from '../../../test/token-fixtures';
import { eventPages, REGIONS, usageEventFixture } from '../../../test/usage-fixtures';
import { serviceKeys } from '../../services/api/services.queries';
import { sessionKeys } from '../../session/api/session.queries';
import { tokenKeys } from '../../tokens/api/tokens.queries';
import { usageRequestsOf, usageSelectionFromSearch } from '../api/usage-search';
import { usageKeys, type CrossBorderTransfer, type UsageCounts, type UsageEvent } from '../api/usage.queries';
import { EVENTS_PAGE_SIZE } from '../components/UsageEventsPanel';
import { UsagePage } from './UsagePage';

let undoSize: () => void;
beforeAll(() => {
  undoSize = giveChartsASize();
});
afterAll(() => undoSize());

const sessionOf = (role: Role) => sessionWith(role, [...ROLE_SCOPES[role]]);

/** Seeds exactly the requests the page makes for `search` (now: the default period is the last 30 days). */
function renderPage(search: string, events: UsageEvent[], nextCursor: string | null = null, transfers: CrossBorderTransfer[] = []) {
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
      [usageKeys.crossBorder(requests.crossBorder), { ...requests.period, items: transfers }],
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

  it('lists the period’s cross-border transfers: token, region → country, uses, how they were answered, first and last', () => {
    renderPage('', [], null, [
      transferFixture('tok_1', 'US', { count: 14, byOutcome: { VALID: 12, GEO_BLOCKED: 2 } }),
      transferFixture('tok_1', 'JP', { toRegion: 'APAC', count: 1, byOutcome: { RATE_LIMITED: 1 } }),
      transferFixture('tok_2', 'CH', { tokenName: 'payroll', fromRegion: null, toRegion: 'EFTA', count: 3, byOutcome: { VALID: 3 } }),
    ]);
    const panel = screen.getByRole('region', { name: 'Cross-border transfers' });
    expect(within(panel).getByText('18 uses').tagName).toBe('P');
    const table = within(panel).getByRole('table', { name: 'Cross-border transfers' });
    // First and last in local time, as every date of the dashboard.
    const [first, last] = [formatDateTime('2026-11-02T09:00:00.000Z'), formatDateTime('2026-11-23T10:00:00.000Z')];
    expect(within(table).getAllByRole('row').map(cellsOf)).toEqual([
      ['Token', 'Transfer', 'Uses', 'By outcome', 'First', 'Last'],
      ['patient records', 'EU → United States (US) · US', '14', 'VALID 12GEO_BLOCKED 2', first, last],
      ['patient records', 'EU → Japan (JP) · APAC', '1', 'RATE_LIMITED 1', first, last],
      ['payroll', 'none now → Switzerland (CH) · EFTA', '3', 'VALID 3', first, last],
    ]);
    const token = within(table).getByRole('link', { name: 'payroll' });
    expect([columnOf(token), token.getAttribute('href')]).toEqual(['Token', '/tokens/tok_2']);
    // Refusals in their chart colours: a rate-limited use is not a geo-blocked one.
    const badge = (label: string) => within(table).getByText(label).closest('.mantine-Badge-root')!.getAttribute('style');
    expect(badge('RATE_LIMITED 1')).not.toBe(badge('GEO_BLOCKED 2'));
    expect(within(panel).getByRole('button', { name: 'Export CSV' }).tagName).toBe('BUTTON');
    expect(within(panel).getByRole('button', { name: 'Export JSON' }).tagName).toBe('BUTTON');
  });

  it('says when no token crossed its border in the period', () => {
    renderPage('', []);
    expect(within(screen.getByRole('region', { name: 'Cross-border transfers' })).getByText('No cross-border transfers in this period').tagName).toBe('P');
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

function transferFixture(tokenId: string, toCountry: string, over: Partial<CrossBorderTransfer> = {}): CrossBorderTransfer {
  return {
    tokenId,
    tokenName: 'patient records',
    fromRegion: 'EU',
    toCountry,
    toRegion: toCountry,
    count: 1,
    byOutcome: { VALID: 1 },
    firstAt: '2026-11-02T09:00:00.000Z',
    lastAt: '2026-11-23T10:00:00.000Z',
    ...over,
  };
}

describe('the Usage entry of the navigation', () => {
  it('is there for every role: whoever reads a token may see where it is used from', () => {
    for (const role of ['owner', 'operator', 'auditor', 'viewer'] as const) {
      const { unmount } = renderWithApp(<AppLayout />, [[sessionKeys.me(), sessionOf(role)]]);
      expect(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Usage' }).getAttribute('href')).toBe('/usage');
      unmount();
    }
  });
});
