import { newComplianceTenant, seedToken, seedUser, useMediumDatabase } from '@custos/fixtures';
import { ComplianceRepository } from '@custos/persistence';
import { auditOn } from '../testing/audit-on';
import type { Principal } from '../auth/principal';
import { ComplianceEvaluator } from './compliance-evaluator';
import { controlCatalogue, controlsFor } from './controls';

function auditorOf(tenantId: string, scopes: string[] = ['custos:reports:read']): Principal {
  return { tenantId, kind: 'user', id: 'usr_auditor', email: null, name: null, scopes, role: 'auditor', ownerServiceId: null, sessionId: null };
}

/** The live control table on the real database: a framework's controls, their verdicts on this tenant's rows, the first evidence. */
describe('ComplianceEvaluator', () => {
  const db = useMediumDatabase();
  const { sealer } = auditOn(db);
  const evaluator = new ComplianceEvaluator(db, sealer, new ComplianceRepository());
  const period = { from: new Date(Date.now() - 7 * 86400_000), to: new Date(Date.now() + 60_000) };
  const SOC2 = controlsFor('soc2', controlCatalogue(new ComplianceRepository())).map((c) => c.id);
  afterEach(() => sealer.drain());

  it("evaluates every control of the framework, in catalogue order, on the tenant's own rows only", async () => {
    const tenantId = await newComplianceTenant(db);
    const other = await newComplianceTenant(db);
    await seedUser(db, tenantId, 'usr_owner', 'owner', '1 day');
    await seedToken(db, tenantId, 'tok_owned');
    await seedToken(db, tenantId, 'tok_orphan', { owner: null });
    await seedToken(db, other, 'tok_their_orphan', { owner: null });

    const outcomes = await evaluator.evaluate(auditorOf(tenantId), { ...period, framework: 'soc2', evidenceLimit: 10 });

    expect(SOC2).toEqual(expect.arrayContaining(['token-owner', 'privileged-accounts']));
    expect(outcomes.map((o) => o.id)).toEqual(SOC2);
    const owner = outcomes.find((o) => o.id === 'token-owner');
    expect(owner).toMatchObject({ status: 'fail', evidenceCount: 1, clauses: ['CC6.1', 'CC6.3'], evidence: [{ subject: 'tok_orphan', detail: 'no owner service' }] });
    expect(owner!.evidence[0]).not.toHaveProperty('key');
    expect(outcomes.find((o) => o.id === 'privileged-accounts')).toMatchObject({ status: 'pass', evidenceCount: 1, evidence: [{ subject: 'usr_owner' }] });
  });

  it('holds the tokens against the policy of their tenant', async () => {
    const strict = await newComplianceTenant(db, { maxLifetimeDays: 10 });
    await seedToken(db, strict, 'tok_month', { expiresIn: '30 days' });
    const lenient = await newComplianceTenant(db, { maxLifetimeDays: 90 });
    await seedToken(db, lenient, 'tok_month', { expiresIn: '30 days' });
    const verdict = async (tenantId: string) =>
      (await evaluator.evaluate(auditorOf(tenantId), { ...period, framework: 'pci_dss', evidenceLimit: 0 })).find((o) => o.id === 'token-expiry-cap');
    expect(await verdict(strict)).toMatchObject({ status: 'fail', evidenceCount: 1, evidence: [] });
    expect(await verdict(lenient)).toMatchObject({ status: 'pass', evidenceCount: 0, evidence: [] });
  });

  it('refuses a period that ends before it starts or spans more than the maximum, and callers without custos:reports:read', async () => {
    const tenantId = await newComplianceTenant(db);
    await expect(evaluator.evaluate(auditorOf(tenantId), { from: period.to, to: period.from, framework: 'gdpr', evidenceLimit: 1 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(
      evaluator.evaluate(auditorOf(tenantId), { from: new Date('2020-01-01'), to: new Date('2026-01-01'), framework: 'gdpr', evidenceLimit: 1 }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(evaluator.evaluate(auditorOf(tenantId, ['custos:tokens:read']), { ...period, framework: 'gdpr', evidenceLimit: 1 })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('lists the catalogue with each control mapped to its frameworks', () => {
    const catalogue = evaluator.catalogue();
    expect(catalogue.map((c) => c.id)).toEqual(controlCatalogue(new ComplianceRepository()).map((c) => c.id));
    expect(catalogue.find((c) => c.id === 'consent-binding')?.mappings).toEqual({ gdpr: ['Art. 7(3)', 'Art. 30'], psd2: ['RTS art. 22'] });
  });
});
