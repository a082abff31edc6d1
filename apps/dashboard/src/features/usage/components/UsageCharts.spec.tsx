/** @jest-environment jsdom */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { screen } from '@testing-library/react';
import { barsOf, categoriesOf, giveChartsASize } from '../../../test/charts';
import { renderWithApp } from '../../../test/render';
import { REGIONS } from '../../../test/usage-fixtures';
import type { UsageCounts } from '../api/usage.queries';
import { CountryBars } from './CountryBars';
import { UsageOverTimeChart } from './UsageOverTimeChart';

let undoSize: () => void;
beforeAll(() => {
  undoSize = giveChartsASize();
});
afterAll(() => undoSize());

const PERIOD = { from: '2026-11-22T00:00:00.000Z', to: '2026-11-25T00:00:00.000Z' };

describe('UsageOverTimeChart', () => {
  it('draws every day of the period, quiet ones too, with one stack per outcome, VALID at the bottom', () => {
    const counts: UsageCounts = { ...PERIOD, groupBy: 'day', buckets: [{ key: '2026-11-23', count: 5, byOutcome: { GEO_BLOCKED: 1, VALID: 4 } }] };
    renderWithApp(<UsageOverTimeChart counts={counts} />);
    const chart = screen.getByLabelText('Uses per day by outcome');
    expect(categoriesOf(chart)).toEqual(['Nov 22', 'Nov 23', 'Nov 24']);
    const [valid, blocked, ...more] = barsOf(chart);
    expect(more).toEqual([]);
    expect([valid?.series, blocked?.series]).toEqual(['VALID', 'GEO_BLOCKED']);
    // One column (Nov 23), 4 valid uses under 1 blocked one.
    expect(blocked!.x).toBe(valid!.x);
    expect(blocked!.y + blocked!.height).toBeCloseTo(valid!.y);
    expect(valid!.height / blocked!.height).toBeCloseTo(4);
  });

  it('says so when nothing was used, rather than drawing empty axes', () => {
    renderWithApp(<UsageOverTimeChart counts={{ ...PERIOD, groupBy: 'day', buckets: [] }} />);
    expect(screen.getByText('No uses in this period').tagName).toBe('P');
    expect(screen.queryByLabelText('Uses per day by outcome')).toBeNull();
  });
});

describe('CountryBars', () => {
  it('draws a bar per country, most used first, named with its region', () => {
    const counts: UsageCounts = {
      ...PERIOD,
      groupBy: 'country',
      buckets: [
        { key: 'DE', count: 3, byOutcome: { VALID: 3 } },
        { key: 'US', count: 1, byOutcome: { GEO_BLOCKED: 1 } },
        { key: null, count: 1, byOutcome: { NOT_FOUND: 1 } },
      ],
    };
    renderWithApp(<CountryBars counts={counts} regions={REGIONS} />);
    const chart = screen.getByLabelText('Uses per country by outcome');
    expect(categoriesOf(chart, 'y')).toEqual(['Germany (DE) · EU', 'United States (US) · US', 'Unknown']);
    const bars = barsOf(chart);
    expect(bars.map((b) => b.series)).toEqual(['VALID', 'GEO_BLOCKED', 'NOT_FOUND']);
    // Horizontal bars, as long as the uses: Germany's three times the United States'.
    expect(bars[0]!.width / bars[1]!.width).toBeCloseTo(3);
  });
});
