import { BarChart } from '@mantine/charts';
import { formatCount } from '../../../shared/format/format';
import { EmptyState } from '../../../shared/components/states';
import { countryRows, outcomeSeries, outcomesOf } from '../api/usage-chart';
import type { Region, UsageCounts } from '../api/usage.queries';

/** The countries shown at most; the API ranks them, so these are the most used. */
const MOST_COUNTRIES = 15;
const BAR_HEIGHT = 30;

/** Uses per country (with the region they count in), most used first, stacked by outcome. */
export function CountryBars({ counts, regions }: { counts: UsageCounts; regions: readonly Region[] | undefined }) {
  const buckets = counts.buckets.slice(0, MOST_COUNTRIES);
  const outcomes = outcomesOf(buckets);
  if (outcomes.length === 0) return <EmptyState title="No uses in this period" />;
  return (
    <BarChart
      h={Math.max(160, buckets.length * BAR_HEIGHT + 60)}
      data={countryRows(buckets, outcomes, regions)}
      dataKey="label"
      type="stacked"
      orientation="vertical"
      series={outcomeSeries(outcomes)}
      withLegend
      gridAxis="y"
      // Every country named (no tick skipped), on one line.
      yAxisProps={{ width: 220, interval: 0 }}
      xAxisProps={{ allowDecimals: false }}
      valueFormatter={formatCount}
      aria-label="Uses per country by outcome"
    />
  );
}
