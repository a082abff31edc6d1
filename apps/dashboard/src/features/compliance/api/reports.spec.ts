import { describe, expect, it } from '@jest/globals';
import { hasUnfinishedReport, reportFallbackName } from './reports';

describe('reports', () => {
  it('is worth polling while a report is queued or running', () => {
    expect(hasUnfinishedReport([{ status: 'done' }, { status: 'running' }])).toBe(true);
    expect(hasUnfinishedReport([{ status: 'done' }, { status: 'failed' }])).toBe(false);
  });

  it('names the file as the API does when no header names it', () => {
    const report = { id: 'rpt_1', framework: 'soc2', format: 'pdf', from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' } as const;
    expect(reportFallbackName(report)).toBe('custos-soc2-2026-01-01-2026-01-31-rpt_1.pdf');
  });
});
