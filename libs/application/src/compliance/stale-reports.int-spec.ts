import { newComplianceTenant, seedUser, useMediumDatabase } from '@custos/fixtures';
import { ActorRepository, ReportRepository } from '@custos/persistence';
import type { Principal } from '../auth/principal';
import { auditOn } from '../testing/audit-on';
import { ReportsService, type ReportQueue } from './reports.service';
import { StaleReports } from './stale-reports';

/**
 * A report request is accepted even when Redis refuses its job; the worker then finds it among the
 * stale queued reports, across tenants, once it has waited long enough — and only then.
 */
describe('stale queued reports', () => {
  const db = useMediumDatabase();
  const { audit, sealer } = auditOn(db);
  const refusingQueue: ReportQueue = { enqueue: () => Promise.reject(new Error('Redis refused the job')) };
  const reports = new ReportsService(db, audit, refusingQueue, new ReportRepository(), new ActorRepository());
  const stale = new StaleReports(db, new ReportRepository());
  const meta = { requestId: 'req-stale', ip: null };
  const period = { from: new Date(Date.now() - 86400_000), to: new Date() };
  afterEach(() => sealer.drain());

  async function auditorOfNewTenant(): Promise<Principal> {
    const tenantId = await newComplianceTenant(db);
    await seedUser(db, tenantId, 'usr_auditor', 'auditor', '1 day');
    return { tenantId, kind: 'user', id: 'usr_auditor', email: null, name: null, scopes: ['custos:reports:read', 'custos:reports:write'], role: 'auditor', ownerServiceId: null, sessionId: null };
  }

  it('lists a report whose job was lost, from every tenant, once it is older than asked', async () => {
    const [first, second] = [await auditorOfNewTenant(), await auditorOfNewTenant()];
    const lostA = await reports.request(first, { framework: 'soc2', format: 'json', ...period }, meta);
    const lostB = await reports.request(second, { framework: 'soc2', format: 'json', ...period }, meta);
    expect([lostA.status, lostB.status]).toEqual(['queued', 'queued']);

    const notYet = await stale.queuedFor(3600, 10_000);
    expect(notYet).not.toContainEqual({ tenantId: first.tenantId, reportId: lostA.id });

    await new Promise((resolve) => setTimeout(resolve, 1100));
    const due = await stale.queuedFor(1, 10_000);
    expect(due).toEqual(
      expect.arrayContaining([
        { tenantId: first.tenantId, reportId: lostA.id },
        { tenantId: second.tenantId, reportId: lostB.id },
      ]),
    );
  });
});
