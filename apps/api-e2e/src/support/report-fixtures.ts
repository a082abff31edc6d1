import { AuditLog, AuditSealer, ReportGenerator, SigningKeys } from '@custos/application';
import { SecretBox } from '@custos/crypto';
import {
  AccessReviewRepository, ActorRepository,
  AuditChainRepository,
  AuditEventRepository,
  ComplianceRepository,
  Database,
  ReportRepository,
  SigningKeyRepository,
  createDataSource,
} from '@custos/persistence';
import type { ApiClient } from '@custos/testing';

export interface ReportBody {
  id: string;
  status: string;
  sha256: string | null;
}

/** A report requested through the API (queued: the shared api runs no worker). */
export async function requestReport(client: ApiClient, overrides: Record<string, unknown> = {}): Promise<ReportBody> {
  const res = await client.post<ReportBody>('/v1/reports', {
    framework: 'soc2',
    format: 'json',
    from: new Date(Date.now() - 7 * 86400_000).toISOString(),
    to: new Date(Date.now() + 60_000).toISOString(),
    ...overrides,
  });
  if (res.status !== 202) throw new Error(`report request failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * Runs the worker's use case on a queued report, in this process, with the run's database and master
 * key: what the worker would do with the job, without a worker process per test.
 */
export async function generateReportNow(tenantId: string, reportId: string): Promise<void> {
  const db = new Database(createDataSource({ url: process.env.TEST_DATABASE_URL!, poolSize: 2 }));
  await db.dataSource.initialize();
  try {
    const sealer = new AuditSealer(db, new AuditChainRepository(), new AuditEventRepository());
    const audit = new AuditLog(sealer, new AuditEventRepository(), new AuditChainRepository());
    const keys = new SigningKeys(db, audit, new SecretBox(process.env.CUSTOS_TEST_MASTER_KEY!), new SigningKeyRepository());
    const result = await new ReportGenerator(db, audit, sealer, keys, new ReportRepository(), new ComplianceRepository(), new ActorRepository(), new AccessReviewRepository()).generate(tenantId, reportId);
    if (result.status !== 'done') throw new Error(`report generation: ${JSON.stringify(result)}`);
    await sealer.sealTenant(tenantId);
  } finally {
    await db.dataSource.destroy();
  }
}
