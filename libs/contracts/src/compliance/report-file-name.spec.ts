import { reportFileName } from './report-file-name';

describe('reportFileName', () => {
  const report = { id: 'rpt_1', framework: 'soc2', format: 'pdf' };

  it('names the last day the period covers, not the exclusive end', () => {
    expect(reportFileName({ ...report, from: '2026-11-03T00:00:00.000Z', to: '2026-12-03T00:00:00.000Z' })).toBe('custos-soc2-2026-11-03-2026-12-02-rpt_1.pdf');
  });

  it('keeps the end day of a period that ends during it', () => {
    expect(reportFileName({ ...report, from: '2026-11-03T00:00:00.000Z', to: '2026-12-03T14:20:00.000Z' })).toBe('custos-soc2-2026-11-03-2026-12-03-rpt_1.pdf');
  });
});
