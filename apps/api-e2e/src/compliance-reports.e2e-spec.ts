import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPORT_JWS_TYPE, type ReportFormat } from '@custos/contracts';
import { verifyDetachedJws } from '@custos/crypto';
import { runMigrations } from '@custos/persistence';
import {
  ApiClient,
  adminUrl,
  appUrl,
  auditEvents,
  issueToken,
  pollUntil,
  runCli,
  serviceKey,
  signupTenant,
  startApi,
  startWorker,
  tenantJwks,
  userWithRole,
  withAdminClient,
  type RunningApi,
  type RunningProcess,
  type TestTenant,
} from '@custos/testing';

interface ReportBody {
  id: string;
  status: string;
  sha256: string | null;
  kid: string | null;
  sizeBytes: number | null;
}

// @runsAlone: it starts a worker on the run's database, whose sweeps act on every tenant in it (npm test runs it after the rest, by itself).
/**
 * An auditor asks the api for reports and the worker process generates them through the queue: each
 * download is the file whose SHA-256 the tenant's key signed. The worker's schedules touch every tenant
 * of its database, so this runs on a database of its own.
 */
describe('compliance reports through the worker', () => {
  const database = `custos_rpt_${randomBytes(4).toString('hex')}`;
  let api: RunningApi;
  let worker: RunningProcess;
  let tenant: TestTenant;
  let auditor: ApiClient;
  let bearer: string;
  let files: string;

  beforeAll(async () => {
    await withAdminClient('postgres', (client) => client.query(`CREATE DATABASE ${database}`));
    await runMigrations(adminUrl(database));
    const env = { DATABASE_URL: appUrl(database), DATABASE_MIGRATION_URL: adminUrl(database), CUSTOS_QUEUE_PREFIX: `{custos-rpt-${randomBytes(4).toString('hex')}}` };
    api = await startApi(env);
    worker = await startWorker({ ...env, CUSTOS_AUDIT_SEAL_INTERVAL_MS: '200', CUSTOS_SWEEP_INTERVAL_MS: '500' });
    tenant = await signupTenant(new ApiClient(api.url), 'Reports Org');
    auditor = await userWithRole(tenant, 'auditor');
    // A token with no owner service: the token-owner control has something to find.
    await issueToken(tenant.owner, { name: 'orphan' });
    bearer = (await serviceKey(tenant, ['custos:reports:read'])).issued.secret;
    files = await mkdtemp(join(tmpdir(), 'custos-rpt-'));
  }, 60_000);

  afterAll(async () => {
    if (files) await rm(files, { recursive: true, force: true });
    await worker?.stop();
    await api?.stop();
    await withAdminClient('postgres', (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  });

  async function generate(format: ReportFormat): Promise<ReportBody> {
    const requested = await auditor.post<ReportBody>('/v1/reports', {
      framework: 'soc2',
      format,
      from: new Date(Date.now() - 86400_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(requested.status).toBe(202);
    return pollUntil(
      async () => (await auditor.get<ReportBody>(`/v1/reports/${requested.body.id}`)).body,
      (r) => r.status === 'done' || r.status === 'failed',
      { timeoutMs: 20_000, intervalMs: 100 },
    );
  }

  it.each(['pdf', 'csv', 'json'] as const)('generates a signed %s report that downloads byte for byte', async (format) => {
    const report = await generate(format);
    expect(report).toMatchObject({ status: 'done', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const res = await fetch(`${api.url}/v1/reports/${report.id}/download`, { headers: { authorization: `Bearer ${bearer}` } });
    expect(res.status).toBe(200);
    const file = Buffer.from(await res.arrayBuffer());
    const sha256 = createHash('sha256').update(file).digest('hex');
    expect(sha256).toBe(report.sha256);
    expect(res.headers.get('x-custos-report-sha256')).toBe(sha256);
    expect(res.headers.get('content-disposition')).toMatch(new RegExp(`\\.${format}"$`));
    if (format === 'pdf') expect(file.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const jwks = await tenantJwks(tenant.owner);
    const check = await verifyDetachedJws(res.headers.get('x-custos-signature')!, sha256, jwks, REPORT_JWS_TYPE);
    expect(check).toMatchObject({ valid: true, kid: report.kid });
    const events = await auditEvents(tenant.owner, `target=${report.id}`);
    expect(events.map((e) => e.action).sort()).toEqual(['report.downloaded', 'report.generated', 'report.requested']);

    // The auditor's own check, offline, with the built CLI: the file, its signature, the tenant's JWKS.
    const saved = join(files, `${report.id}.${format}`);
    await writeFile(saved, file);
    await writeFile(join(files, 'signature.jws'), res.headers.get('x-custos-signature')!);
    await writeFile(join(files, 'jwks.json'), JSON.stringify(jwks));
    const cli = await runCli(['report', 'verify', saved, '--signature', join(files, 'signature.jws'), '--jwks', join(files, 'jwks.json')]);
    expect({ code: cli.code, out: cli.stdout.trim() }).toEqual({ code: 0, out: `OK sha256 ${sha256}, signed with kid ${report.kid}` });
    await writeFile(saved, Buffer.concat([file, Buffer.from('\n')]));
    const altered = await runCli(['report', 'verify', saved, '--signature', join(files, 'signature.jws'), '--jwks', join(files, 'jwks.json')]);
    expect(altered.code).toBe(1);
    expect(altered.stdout).toMatch(/^FAIL the file's sha256 [0-9a-f]{64}: signature does not verify/);
  });

  it('generates a report whose job never reached the queue: the worker queues it again', async () => {
    // What a request leaves behind when Redis refuses its job after the commit: a queued row, no job.
    const id = `rpt_lost${randomBytes(4).toString('hex')}`;
    await withAdminClient(database, (client) =>
      client.query(
        `INSERT INTO compliance_reports (tenant_id, id, framework, period_from, period_to, format, requested_by, requested_at)
         VALUES ($1, $2, 'gdpr', now() - interval '1 day', now(), 'json', $3, now() - interval '5 minutes')`,
        [tenant.tenantId, id, tenant.ownerId],
      ),
    );
    const report = await pollUntil(
      async () => (await auditor.get<ReportBody>(`/v1/reports/${id}`)).body,
      (r) => r.status === 'done' || r.status === 'failed',
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(report.status).toBe('done');
  });

  it('an operator may read reports but not request one; a viewer neither', async () => {
    const operator = await userWithRole(tenant, 'operator');
    expect((await operator.get('/v1/reports')).status).toBe(200);
    expect((await operator.post('/v1/reports', { framework: 'gdpr', format: 'json', from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' })).status).toBe(403);
    const viewer = await userWithRole(tenant, 'viewer');
    expect((await viewer.get('/v1/reports')).status).toBe(403);
  });
});
