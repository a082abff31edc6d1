import { auditEventsOn, createTenant, seedBoundToken, seedConsentWindow, useMediumDatabase } from '@custos/fixtures';
import { ActorRepository, BoundTokenRepository, ConsentRepository } from '@custos/persistence';
import { auditOn } from '../testing/audit-on';
import type { Principal } from '../auth/principal';
import { SubjectRequests } from './subject-requests.service';

function principalOf(tenantId: string, scopes: string[] = ['custos:consents:read']): Principal {
  return { tenantId, kind: 'user', id: 'usr_dpo', email: null, name: null, scopes, role: 'auditor', ownerServiceId: null, sessionId: null };
}

/** A data subject's access request (GDPR Art. 15) on the real database: what it gathers, what it leaves out, and its audit event. */
describe('SubjectRequests', () => {
  const db = useMediumDatabase();
  const { audit, sealer } = auditOn(db);
  // Seals run after commit without being awaited: none may outlive the test's pool.
  afterEach(() => sealer.drain());
  const subjects = new SubjectRequests(db, audit, new ConsentRepository(), new BoundTokenRepository(), new ActorRepository());
  const meta = { requestId: 'req-subject', ip: null };

  it("gathers every consent of the subject with its versions and every token ever bound, and records the look-up", async () => {
    const tenantId = await createTenant(db);
    const ended = await seedConsentWindow(db, tenantId, { subjectRef: 'subj_ada', startedAgo: '60 days', endsIn: '-1 day' });
    const current = await seedConsentWindow(db, tenantId, { subjectRef: 'subj_ada', startedAgo: '2 days', endsIn: '30 days' });
    await seedConsentWindow(db, tenantId, { subjectRef: 'subj_bob', endsIn: '30 days' });
    const expired = await seedBoundToken(db, tenantId, ended, { status: 'expired', useCount: 5 });
    const live = await seedBoundToken(db, tenantId, current, { useCount: 2 });
    const revoked = await seedBoundToken(db, tenantId, current, { status: 'revoked' });

    const report = await subjects.report(principalOf(tenantId), 'subj_ada', 'export', meta);

    expect(report.subjectRef).toBe('subj_ada');
    expect(report.consents.map((c) => [c.id, c.status, c.boundTokens])).toEqual([
      [ended, 'expired', 1],
      [current, 'active', 2],
    ]);
    expect(report.consents.map((c) => c.versions.map((v) => [v.version, v.validUntil]))).toEqual([
      [[1, report.consents[0]!.validUntil]],
      [[1, report.consents[1]!.validUntil]],
    ]);
    expect(report.consents[0]!.tokens.map((t) => [t.id, t.status, t.useCount])).toEqual([[expired.id, 'expired', 5]]);
    expect(new Set(report.consents[1]!.tokens.map((t) => t.id))).toEqual(new Set([live.id, revoked.id]));
    expect(report.totals).toEqual({ consents: 2, tokens: 3, uses: 7 });
    const events = await auditEventsOn(db, tenantId, ['subj_ada']);
    expect(events).toEqual([expect.objectContaining({ action: 'subject.exported', requestId: 'req-subject', data: { consents: 2, tokens: 3 } })]);
  });

  it("answers an empty report for an unknown subject, and never another tenant's consents for the same subjectRef", async () => {
    const tenantId = await createTenant(db);
    const other = await createTenant(db);
    await seedConsentWindow(db, other, { subjectRef: 'subj_shared', endsIn: '30 days' });

    const report = await subjects.report(principalOf(tenantId), 'subj_shared', 'view', meta);

    expect(report).toMatchObject({ subjectRef: 'subj_shared', consents: [], totals: { consents: 0, tokens: 0, uses: 0 } });
    expect((await auditEventsOn(db, tenantId, ['subj_shared'])).map((e) => e.action)).toEqual(['subject.viewed']);
  });

  it('needs custos:consents:read, and records nothing without it', async () => {
    const tenantId = await createTenant(db);
    await expect(subjects.report(principalOf(tenantId, ['custos:tokens:read']), 'subj_x', 'view', meta)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await auditEventsOn(db, tenantId, ['subj_x'])).toEqual([]);
  });
});
