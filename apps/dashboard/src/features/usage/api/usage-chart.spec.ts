import { describe, expect, it } from '@jest/globals';
import { VerifyCode } from '@custos/contracts';
import { countryRows, outcomeColor, outcomesOf, regionOf, timeGroupingOf, timeKeys, timeRows } from './usage-chart';
import type { Region, UsageBucket, UsageCounts } from './usage.queries';

const REGIONS: Region[] = [
  { code: 'EU', name: 'European Union', countries: ['DE', 'FR'], builtIn: true },
  { code: 'US', name: 'United States', countries: ['US'], builtIn: true },
  { code: 'EEA', name: 'European Economic Area', countries: ['DE', 'FR', 'NO'], builtIn: true },
];

describe('timeGroupingOf', () => {
  it('counts up to two days by hour and longer periods by day', () => {
    expect(timeGroupingOf({ from: '2026-11-22T00:00:00.000Z', to: '2026-11-24T00:00:00.000Z' })).toBe('hour');
    expect(timeGroupingOf({ from: '2026-11-22T00:00:00.000Z', to: '2026-11-24T01:00:00.000Z' })).toBe('day');
  });
});

describe('timeKeys', () => {
  it('names every UTC day of the period as the API keys its buckets, the end excluded', () => {
    expect(timeKeys('2026-11-22T13:00:00.000Z', '2026-11-25T00:00:00.000Z', 'day')).toEqual(['2026-11-22', '2026-11-23', '2026-11-24']);
  });

  it('names every hour from the first one counted', () => {
    expect(timeKeys('2026-11-23T22:00:00.000Z', '2026-11-24T00:30:00.000Z', 'hour')).toEqual([
      '2026-11-23T22:00:00Z',
      '2026-11-23T23:00:00Z',
      '2026-11-24T00:00:00Z',
    ]);
  });
});

describe('outcomesOf', () => {
  it('puts VALID first, then the most frequent outcome', () => {
    const buckets: UsageBucket[] = [
      { key: 'a', count: 9, byOutcome: { REVOKED: 2, GEO_BLOCKED: 3, VALID: 1 } },
      { key: 'b', count: 4, byOutcome: { GEO_BLOCKED: 1, EXPIRED: 3 } },
    ];
    expect(outcomesOf(buckets)).toEqual(['VALID', 'GEO_BLOCKED', 'EXPIRED', 'REVOKED']);
  });

  it('gives each outcome one colour on every chart', () => {
    expect(outcomeColor('VALID')).toBe('teal.6');
    expect(outcomeColor('GEO_BLOCKED', 3)).toBe(outcomeColor('GEO_BLOCKED', 0));
    expect(outcomeColor('CONSENT_EXPIRED')).toBe('cyan.7');
  });

  it('tells every verify answer apart, rate-limited and geo-blocked uses included, and colours an API request over its limit as rate-limited', () => {
    const colours = Object.values(VerifyCode).map((code) => outcomeColor(code));
    expect(new Set(colours).size).toBe(colours.length);
    expect(outcomeColor('RATE_LIMITED')).not.toBe(outcomeColor('GEO_BLOCKED'));
    expect(outcomeColor('429')).toBe(outcomeColor('RATE_LIMITED'));
    expect(outcomeColor('200')).not.toBe(outcomeColor('403'));
  });
});

describe('timeRows', () => {
  it('has a row for every day, zeros where nothing was used, a count per outcome', () => {
    const counts: UsageCounts = {
      from: '2026-11-22T00:00:00.000Z',
      to: '2026-11-25T00:00:00.000Z',
      groupBy: 'day',
      buckets: [{ key: '2026-11-23', count: 5, byOutcome: { VALID: 4, GEO_BLOCKED: 1 } }],
    };
    expect(timeRows(counts, ['VALID', 'GEO_BLOCKED'])).toEqual([
      { key: '2026-11-22', label: 'Nov 22', VALID: 0, GEO_BLOCKED: 0 },
      { key: '2026-11-23', label: 'Nov 23', VALID: 4, GEO_BLOCKED: 1 },
      { key: '2026-11-24', label: 'Nov 24', VALID: 0, GEO_BLOCKED: 0 },
    ]);
  });
});

describe('countries', () => {
  it('are labelled with their name and the region their uses are counted in, unknown addresses last as the API ranks them', () => {
    const buckets: UsageBucket[] = [
      { key: 'DE', count: 3, byOutcome: { VALID: 3 } },
      { key: 'US', count: 2, byOutcome: { VALID: 1, GEO_BLOCKED: 1 } },
      { key: 'JP', count: 1, byOutcome: { VALID: 1 } },
      { key: null, count: 1, byOutcome: { NOT_FOUND: 1 } },
    ];
    expect(countryRows(buckets, ['VALID', 'GEO_BLOCKED'], REGIONS).map((r) => [r.label, r.VALID, r.GEO_BLOCKED])).toEqual([
      ['Germany (DE) · EU', 3, 0],
      ['United States (US) · US', 1, 1],
      ['Japan (JP)', 1, 0],
      ['Unknown', 0, 0],
    ]);
  });

  it('counts a country in its own bloc before the wider groups', () => {
    expect([regionOf('DE', REGIONS), regionOf('NO', REGIONS), regionOf(null, REGIONS), regionOf('DE', undefined)]).toEqual(['EU', 'EEA', null, null]);
  });
});
