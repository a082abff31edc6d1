/**
 * A report's file name: framework, the period's first and last day, and the report's id
 * (`custos-soc2-2026-11-03-2026-12-02-rpt_….pdf`). A period ends before `to` (exclusive), so its last
 * day is the one just before `to`, as the dashboard shows it. One rule for the api's header and the
 * dashboard's fallback. An access review campaign's report is `custos-access-review-…`.
 */
export function reportFileName(report: { id: string; framework: string | null; from: string; to: string; format: string }): string {
  const lastDay = new Date(Date.parse(report.to) - 1).toISOString().slice(0, 10);
  return `custos-${report.framework ?? 'access-review'}-${report.from.slice(0, 10)}-${lastDay}-${report.id}.${report.format}`;
}
