import { BarChart } from '@mantine/charts';
import { formatCount } from '../../../shared/format/format';
import { outcomeSeries, outcomesOf, timeRows } from '../api/usage-chart';
import type { UsageCounts } from '../api/usage.queries';
import { EmptyState } from '../../../shared/components/states';

/** Uses per hour or per UTC day, one stack per outcome; quiet hours and days show as gaps, not missing bars. */
export function UsageOverTimeChart({ counts, h = 280 }: { counts: UsageCounts; h?: number }) {
  const outcomes = outcomesOf(counts.buckets);
  if (outcomes.length === 0) return <EmptyState title="No uses in this period" />;
  return (
    <BarChart
      h={h}
      data={timeRows(counts, outcomes)}
      dataKey="label"
      type="stacked"
      series={outcomeSeries(outcomes)}
      withLegend
      tickLine="y"
      // Whole uses: no 0.5 on the axis.
      yAxisProps={{ allowDecimals: false }}
      valueFormatter={formatCount}
      aria-label={`Uses per ${counts.groupBy} by outcome`}
    />
  );
}
