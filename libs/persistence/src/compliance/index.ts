import { ComplianceRepository } from './compliance.repository';
import { ReportRepository } from './report.repository';
import { TokenExportRepository } from './token-export.repository';

export * from './compliance.repository';
export * from './evidence';
export * from './report.repository';
export type { StoredReport } from './report-rows';
export * from './token-export.repository';
export type { TokenFilterFields } from '../tokens/token-filter';

export const COMPLIANCE_REPOSITORIES = [ComplianceRepository, ReportRepository, TokenExportRepository];
