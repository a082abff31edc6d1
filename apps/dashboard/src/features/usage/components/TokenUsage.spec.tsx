/** @jest-environment jsdom */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { barsOf, giveChartsASize } from '../../../test/charts';
import { cellsOf, factOf } from '../../../test/dom';
import { renderWithApp } from '../../../test/render';
import { tokenFixture } from '../../../test/token-fixtures';
import { eventPages, tokenUsageFixture, usageEventFixture } from '../../../test/usage-fixtures';
import { formatDateTime } from '../../../shared/format/format';
import { tokenKeys } from '../../tokens/api/tokens.queries';
import { TokenDetailPage } from '../../tokens/routes/TokenDetailPage';
import { usageKeys } from '../api/usage.queries';
import { EVENTS_PAGE_SIZE } from './UsageEventsPanel';
import { TokenUsage } from './TokenUsage';

let undoSize: () => void;
beforeAll(() => {
  undoSize = giveChartsASize();
});
afterAll(() => undoSize());

const USAGE = tokenUsageFixture('tok_1', {
  lastUsedAt: '2026-11-23T10:00:00.000Z',
  lastUsedCountry: 'US',
  lastUsedIpPrefix: '8.8.8.0/24',
  distinctAddresses30d: 2,
  countries: [
    { country: 'DE', region: 'EU', firstSeenAt: '2026-11-01T08:00:00.000Z', lastSeenAt: '2026-11-22T09:00:00.000Z', count: 1234 },
    { country: 'US', region: 'US', firstSeenAt: '2026-11-23T10:00:00.000Z', lastSeenAt: '2026-11-23T10:00:00.000Z', count: 1 },
  ],
  byOutcome30d: { GEO_BLOCKED: 1, VALID: 1234 },
  crossBorderCount30d: 1,
});

function seeded() {
  return [
    [usageKeys.token('tok_1'), USAGE],
    [
      usageKeys.counts({ tokenId: 'tok_1', groupBy: 'day' }),
      {
        from: '2026-10-24T10:00:00.000Z',
        to: '2026-11-23T10:30:00.000Z',
        groupBy: 'day',
        buckets: [
          { key: '2026-11-22', count: 1234, byOutcome: { VALID: 1234 } },
          { key: '2026-11-23', count: 1, byOutcome: { GEO_BLOCKED: 1 } },
        ],
      },
    ],
    [
      usageKeys.events({ tokenId: 'tok_1', limit: EVENTS_PAGE_SIZE }),
      eventPages([usageEventFixture('2', { outcome: 'GEO_BLOCKED', country: 'US', region: 'US', ipPrefix: '8.8.8.0/24', crossBorder: true })]),
    ],
  ] as Array<[readonly unknown[], unknown]>;
}

describe("a token's Usage tab", () => {
  it('sums up its latest use and last 30 days', () => {
    renderWithApp(<TokenUsage tokenId="tok_1" />, seeded());
    const summary = screen.getByRole('region', { name: 'Summary' });
    expect(factOf(summary, 'Last used')).toMatch(new RegExp(`^${formatDateTime('2026-11-23T10:00:00.000Z')} \\(`));
    expect(factOf(summary, 'Last used from')).toBe('United States (US) · 8.8.8.0/24');
    expect(factOf(summary, 'Distinct addresses (30 days)')).toBe('2');
    expect(factOf(summary, 'Cross-border uses (30 days)')).toBe('1');
    const outcomes = within(summary).getByLabelText('Uses by outcome (30 days)');
    expect(Array.from(outcomes.querySelectorAll('[data-outcome]')).map((o) => o.textContent)).toEqual([`VALID${(1234).toLocaleString()}`, 'GEO_BLOCKED1']);
  });

  it('lists its countries with region, uses, first and last seen', () => {
    renderWithApp(<TokenUsage tokenId="tok_1" />, seeded());
    const rows = within(screen.getByRole('table', { name: 'Countries' })).getAllByRole('row');
    expect(rows.map(cellsOf)).toEqual([
      ['Country', 'Region', 'Uses', 'First seen', 'Last seen'],
      ['Germany (DE)', 'EU', (1234).toLocaleString(), formatDateTime('2026-11-01T08:00:00.000Z'), formatDateTime('2026-11-22T09:00:00.000Z')],
      ['United States (US)', 'US', '1', formatDateTime('2026-11-23T10:00:00.000Z'), formatDateTime('2026-11-23T10:00:00.000Z')],
    ]);
  });

  it('charts its uses per day and lists its uses without a token column, linking to the Usage page filtered to it', () => {
    renderWithApp(<TokenUsage tokenId="tok_1" />, seeded());
    const chart = screen.getByLabelText('Uses per day by outcome');
    expect(barsOf(chart).map((b) => b.series)).toEqual(['VALID', 'GEO_BLOCKED']);
    const table = screen.getByRole('table', { name: 'Usage events' });
    expect(cellsOf(within(table).getAllByRole('row')[0]!)).toEqual(['When', 'Outcome', 'Country', 'Network', 'Border', 'Resource']);
    expect(screen.getByRole('link', { name: 'Open in Usage' }).getAttribute('href')).toBe('/usage?token=tok_1');
  });

  it('says when the token was never used', () => {
    renderWithApp(<TokenUsage tokenId="tok_1" />, [
      [usageKeys.token('tok_1'), tokenUsageFixture('tok_1')],
      [usageKeys.counts({ tokenId: 'tok_1', groupBy: 'day' }), { from: '2026-10-24T10:00:00.000Z', to: '2026-11-23T10:30:00.000Z', groupBy: 'day', buckets: [] }],
      [usageKeys.events({ tokenId: 'tok_1', limit: EVENTS_PAGE_SIZE }), eventPages([])],
    ]);
    expect(factOf(screen.getByRole('region', { name: 'Summary' }), 'Last used')).toBe('never');
    expect(screen.getByText('Not used from anywhere yet.').tagName).toBe('P');
    expect(screen.getByText('No uses in this period').tagName).toBe('P');
  });
});

describe("the token page's tabs", () => {
  const renderAt = (at: string) =>
    renderWithApp(
      <Routes>
        <Route path="/tokens/:tokenId" element={<TokenDetailPage />} />
      </Routes>,
      [[tokenKeys.detail('tok_1'), tokenFixture('tok_1', { geoMode: 'enforce', residencyRegion: 'EU', allowedRegions: ['EU'], allowedCountries: ['CH'] })], ...seeded()],
      at,
    );

  it('opens on the details, which show the residency and geofence', () => {
    renderAt('/tokens/tok_1');
    expect(screen.getByRole('tab', { name: 'Details', selected: true })).not.toBeNull();
    const geofence = screen.getByRole('heading', { name: 'Residency and geofence' }).parentElement!;
    expect(factOf(geofence, 'Geo mode')).toMatch(/^Enforce/);
    expect(factOf(geofence, 'Residency region')).toBe('EU');
    expect(factOf(geofence, 'Allowed regions')).toBe('EU');
    expect(factOf(geofence, 'Allowed countries')).toBe('Switzerland (CH)');
  });

  it('opens the Usage tab from the URL', async () => {
    renderAt('/tokens/tok_1?tab=usage');
    expect(screen.getByRole('tab', { name: 'Usage', selected: true })).not.toBeNull();
    expect((await screen.findByRole('table', { name: 'Countries' })).tagName).toBe('TABLE');
    expect(screen.queryByRole('heading', { name: 'Residency and geofence' })).toBeNull();
  });
});
