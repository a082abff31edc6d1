import { describe, expect, it } from '@jest/globals';
import { formatValue, metricLabel } from './control-format';

describe('metricLabel', () => {
  it('spells camelCase and snake_case keys as words', () => {
    expect(metricLabel('p95LatencySeconds')).toBe('p95 latency seconds');
    expect(metricLabel('live_tokens')).toBe('live tokens');
    expect(metricLabel('findings')).toBe('findings');
  });
});

describe('formatValue', () => {
  it('shows numbers grouped, nothing as a dash, flags as words and the rest as JSON', () => {
    expect(formatValue(12345)).toBe((12345).toLocaleString());
    expect(formatValue(null)).toBe('—');
    expect(formatValue('tok_1')).toBe('tok_1');
    expect(formatValue(true)).toBe('yes');
    expect(formatValue(['a', 'b'])).toBe('["a","b"]');
  });
});
