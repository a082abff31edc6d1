/** Frameworks a compliance report or the control table can be scoped to. */
export const FRAMEWORKS = ['soc2', 'gdpr', 'hipaa', 'pci_dss', 'psd2'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export const FRAMEWORK_NAMES: Readonly<Record<Framework, string>> = {
  soc2: 'SOC 2',
  gdpr: 'GDPR',
  hipaa: 'HIPAA Security Rule',
  pci_dss: 'PCI DSS v4',
  psd2: 'PSD2 RTS (SCA & CSC)',
};

export const CONTROL_STATUSES = ['pass', 'warn', 'fail'] as const;
export type ControlStatus = (typeof CONTROL_STATUSES)[number];

export const REPORT_FORMATS = ['json', 'csv', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const REPORT_CONTENT_TYPES: Readonly<Record<ReportFormat, string>> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
};

/** The `typ` header of a report's detached JWS, so it is never mistaken for a checkpoint signature. */
export const REPORT_JWS_TYPE = 'custos-report-digest+jws';
/** The `$id` of docs/compliance-report.schema.json, written into every JSON report. */
export const REPORT_JSON_SCHEMA_ID = 'https://custos.dev/schemas/compliance-report.v1.json';
