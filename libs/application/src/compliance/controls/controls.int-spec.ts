import type { UsageEvent } from '@custos/domain';
import { newComplianceTenant, seedAlert, seedConsent, seedForgedAuditEvent, seedToken, seedUser, usageEvent, useMediumDatabase } from '@custos/fixtures';
import { ComplianceRepository, UsageEventRepository } from '@custos/persistence';
import { SYSTEM_ACTOR } from '../../audit/audit-log';
import { auditOn } from '../../testing/audit-on';
import { contextFor } from '../compliance-evaluator';
import { alertAcknowledgementControl, alertRemediationControl, leakedTokenRevocationControl } from './alert-response.controls';
import { auditChainControl } from './audit-chain.control';
import { consentBindingControl } from './consent-binding.control';
import { consentWithdrawalLatencyControl } from './consent-withdrawal-latency.control';
import type { ComplianceControl, ControlAssessment, EvidenceRow } from './control';
import { crossBorderTransfersControl } from './cross-border-transfers.control';
import { failedLoginsControl } from './failed-logins.control';
import { healthDataGeofenceControl } from './health-data-geofence.control';
import { personalDataResidencyControl } from './personal-data-residency.control';
import { privilegedAccountsControl } from './privileged-accounts.control';
import { revocationAccountabilityControl } from './revocation-accountability.control';
import { scopeBreadthControl } from './scope-breadth.control';
import { tokenExpiryCapControl } from './token-expiry-cap.control';
import { tokenOwnerControl } from './token-owner.control';
import { tokenRotationAgeControl } from './token-rotation-age.control';
import { unusedTokensControl } from './unused-tokens.control';

/** Each control on seeded rows of a fresh tenant: one world where it passes, one where it does not. */
describe('compliance controls', () => {
  const db = useMediumDatabase(3);
  const { audit, sealer } = auditOn(db);
  const compliance = new ComplianceRepository();
  // Seals run after commit without being awaited: none may outlive the test's pool.
  afterEach(() => sealer.drain());
  const period = { from: new Date(Date.now() - 7 * 86400_000), to: new Date(Date.now() + 60_000) };

  async function run(control: ComplianceControl, tenantId: string): Promise<ControlAssessment & { rows: EvidenceRow[] }> {
    await sealer.sealTenant(tenantId);
    return db.tenant(tenantId, async (tx) => {
      const ctx = await contextFor(compliance, tx, period);
      return { ...(await control.assess(tx, ctx)), rows: await control.evidence(tx, ctx, null, 100) };
    });
  }

  it('token-expiry-cap: fails on a token outliving the lifetime cap, and names it', async () => {
    const t = await newComplianceTenant(db, { maxLifetimeDays: 90 });
    await seedToken(db, t, 'tok_ok', { expiresIn: '30 days' });
    expect(await run(tokenExpiryCapControl(compliance), t)).toMatchObject({ status: 'pass', evidenceCount: 0 });
    await seedToken(db, t, 'tok_long', { expiresIn: '200 days' });
    await seedToken(db, t, 'tok_long_revoked', { expiresIn: '200 days', status: 'revoked' });
    const result = await run(tokenExpiryCapControl(compliance), t);
    expect(result).toMatchObject({ status: 'fail', evidenceCount: 1 });
    expect(result.rows.map((r) => r.subject)).toEqual(['tok_long']);
  });

  it('token-rotation-age: fails on a token past its interval, warns on one without an interval', async () => {
    const t = await newComplianceTenant(db);
    await seedToken(db, t, 'tok_fresh', { rotationSeconds: 3600 });
    expect(await run(tokenRotationAgeControl(compliance), t)).toMatchObject({ status: 'pass' });
    await seedToken(db, t, 'tok_none', { rotationSeconds: null });
    expect(await run(tokenRotationAgeControl(compliance), t)).toMatchObject({ status: 'warn', metrics: { overdue: 0, withoutInterval: 1 } });
    await seedToken(db, t, 'tok_old', { rotationSeconds: 3600, createdAgo: '2 hours' });
    const result = await run(tokenRotationAgeControl(compliance), t);
    expect(result).toMatchObject({ status: 'fail', evidenceCount: 2, metrics: { overdue: 1 } });
  });

  it('token-rotation-age: the policy default applies to tokens without their own interval', async () => {
    const t = await newComplianceTenant(db, { rotationSeconds: 86400 });
    await seedToken(db, t, 'tok_young', { createdAgo: '1 hour' });
    expect(await run(tokenRotationAgeControl(compliance), t)).toMatchObject({ status: 'pass' });
    await seedToken(db, t, 'tok_aged', { createdAgo: '2 days' });
    expect(await run(tokenRotationAgeControl(compliance), t)).toMatchObject({ status: 'fail', evidenceCount: 1 });
  });

  it("unused-tokens: fails on an active token quiet past the policy's days", async () => {
    const t = await newComplianceTenant(db, { unusedDays: 30 });
    await seedToken(db, t, 'tok_used', { createdAgo: '100 days', lastUsedAgo: '1 day', expiresIn: '1 day' });
    expect(await run(unusedTokensControl(compliance), t)).toMatchObject({ status: 'pass' });
    await seedToken(db, t, 'tok_quiet', { createdAgo: '40 days', expiresIn: '1 day' });
    const result = await run(unusedTokensControl(compliance), t);
    expect(result).toMatchObject({ status: 'fail', evidenceCount: 1 });
    expect(result.rows[0]).toMatchObject({ subject: 'tok_quiet', data: { limitDays: 30 } });
  });

  it('scope-breadth: fails on a wildcard-like scope, warns on a bare resource', async () => {
    const t = await newComplianceTenant(db);
    await seedToken(db, t, 'tok_narrow', { scopes: ['orders:read'] });
    expect(await run(scopeBreadthControl(compliance), t)).toMatchObject({ status: 'pass' });
    await seedToken(db, t, 'tok_bare', { scopes: ['orders'] });
    expect(await run(scopeBreadthControl(compliance), t)).toMatchObject({ status: 'warn', evidenceCount: 1 });
    await seedToken(db, t, 'tok_admin', { scopes: ['orders:read', 'billing:admin'] });
    const result = await run(scopeBreadthControl(compliance), t);
    expect(result).toMatchObject({ status: 'fail', evidenceCount: 2, metrics: { wildcard: 1 } });
    expect(result.rows.find((r) => r.subject === 'tok_admin')?.detail).toMatch(/^wildcard scope/);
  });

  it('token-owner: fails on a live token without an owner service', async () => {
    const t = await newComplianceTenant(db);
    await seedToken(db, t, 'tok_owned');
    await seedToken(db, t, 'tok_orphan_expired', { owner: null, status: 'expired' });
    expect(await run(tokenOwnerControl(compliance), t)).toMatchObject({ status: 'pass' });
    await seedToken(db, t, 'tok_orphan', { owner: null });
    expect(await run(tokenOwnerControl(compliance), t)).toMatchObject({ status: 'fail', evidenceCount: 1, rows: [{ subject: 'tok_orphan' }] });
  });

  it('revocation-accountability: fails on a revocation of the period without a reason or an actor', async () => {
    const t = await newComplianceTenant(db);
    await seedToken(db, t, 'tok_rev_ok', { status: 'revoked', revokedAgo: '1 day', revokedBy: 'usr_a', revokedReason: 'leaked' });
    // Before the period: not this report's business.
    await seedToken(db, t, 'tok_rev_old', { status: 'revoked', revokedAgo: '30 days' });
    expect(await run(revocationAccountabilityControl(compliance), t)).toMatchObject({ status: 'pass', metrics: { revocations: 1 } });
    await seedToken(db, t, 'tok_rev_bad', { status: 'revoked', revokedAgo: '1 hour', revokedBy: 'usr_a', revokedReason: ' ' });
    const result = await run(revocationAccountabilityControl(compliance), t);
    expect(result).toMatchObject({ status: 'fail', evidenceCount: 1, rows: [{ subject: 'tok_rev_bad', detail: 'no reason' }] });
  });

  it('consent-withdrawal-latency: measures from consent.withdrawn to the token.revoked events of its request; a token left live fails it', async () => {
    const t = await newComplianceTenant(db);
    await seedConsent(db, t, 'cns_a', true);
    await seedToken(db, t, 'tok_cut', { consentId: 'cns_a', status: 'revoked', revokedAgo: '0', revokedBy: 'usr_a', revokedReason: 'consent_withdrawn' });
    const meta = { requestId: 'req-withdraw-a', ip: null };
    await db.tenant(t, (tx) =>
      audit.record(
        tx,
        meta,
        { action: 'consent.withdrawn', actor: SYSTEM_ACTOR, target: { type: 'consent', id: 'cns_a' } },
        { action: 'token.revoked', actor: SYSTEM_ACTOR, target: { type: 'token', id: 'tok_cut' } },
      ),
    );
    const ok = await run(consentWithdrawalLatencyControl(compliance), t);
    expect(ok).toMatchObject({ status: 'pass', evidenceCount: 1, metrics: { withdrawals: 1, revokedTokens: 1, maxLatencyMs: 0, p95LatencyMs: 0, stillLiveTokens: 0 } });
    expect(ok.rows[0]).toMatchObject({ subject: 'cns_a', data: { revokedTokens: 1, maxLatencyMs: 0 } });

    await seedConsent(db, t, 'cns_b', true);
    await seedToken(db, t, 'tok_left', { consentId: 'cns_b', dataCategories: ['health'] });
    await db.tenant(t, (tx) =>
      audit.record(tx, { requestId: 'req-withdraw-b', ip: null }, { action: 'consent.withdrawn', actor: SYSTEM_ACTOR, target: { type: 'consent', id: 'cns_b' } }),
    );
    const bad = await run(consentWithdrawalLatencyControl(compliance), t);
    expect(bad).toMatchObject({ status: 'fail', evidenceCount: 2, metrics: { stillLiveTokens: 1 } });
    expect(bad.rows.find((r) => r.subject === 'cns_b')?.data).toMatchObject({ stillLiveTokens: 1 });
  });

  it('consent-binding: fails on a live token carrying health data without a consent', async () => {
    const t = await newComplianceTenant(db);
    await seedConsent(db, t, 'cns_ok', false);
    await seedToken(db, t, 'tok_bound', { consentId: 'cns_ok', dataCategories: ['health'] });
    await seedToken(db, t, 'tok_plain', { dataCategories: ['payment'] });
    expect(await run(consentBindingControl(compliance), t)).toMatchObject({ status: 'pass' });
    await seedToken(db, t, 'tok_unbound', { dataCategories: ['personal'] });
    expect(await run(consentBindingControl(compliance), t)).toMatchObject({ status: 'fail', evidenceCount: 1, rows: [{ subject: 'tok_unbound' }] });
  });

  it("personal-data-residency: fails on a live token reaching personal data without a residency region or a geo mode, the policy's categories included", async () => {
    const t = await newComplianceTenant(db);
    await seedToken(db, t, 'tok_placed', { dataCategories: ['personal'], residencyRegion: 'EU', geoMode: 'monitor' });
    await seedToken(db, t, 'tok_payment', { dataCategories: ['payment'] });
    await seedToken(db, t, 'tok_gone', { dataCategories: ['health'], status: 'revoked' });
    expect(await run(personalDataResidencyControl(compliance), t)).toMatchObject({ status: 'pass', evidenceCount: 0, metrics: { personalDataTokens: 1 } });
    await seedToken(db, t, 'tok_nowhere', { dataCategories: ['personal', 'contact'] });
    await seedToken(db, t, 'tok_off', { dataCategories: ['health'], residencyRegion: 'EU', status: 'suspended' });
    const result = await run(personalDataResidencyControl(compliance), t);
    expect(result).toMatchObject({ status: 'fail', evidenceCount: 2, metrics: { findings: 2, personalDataTokens: 3 } });
    expect(result.rows).toEqual([
      { key: 'tok_nowhere', subject: 'tok_nowhere', detail: 'carries personal, contact: no residency region, geo mode off', data: expect.objectContaining({ geoMode: 'off', residencyRegion: null }) },
      expect.objectContaining({ subject: 'tok_off', detail: 'carries health: geo mode off', data: expect.objectContaining({ status: 'suspended', residencyRegion: 'EU' }) }),
    ]);
    // A category the tenant reserves for consented access is personal data too; personal and health always are.
    const strict = await newComplianceTenant(db, { requireConsentFor: ['payment'] });
    await seedToken(db, strict, 'tok_card', { dataCategories: ['payment'] });
    await seedToken(db, strict, 'tok_patient', { dataCategories: ['health'] });
    expect(await run(personalDataResidencyControl(compliance), strict)).toMatchObject({ evidenceCount: 2, rows: [{ subject: 'tok_card' }, { subject: 'tok_patient' }] });
  });

  it('health-data-geofence: fails on a live token reaching health data without an enforced geofence, and pages its findings', async () => {
    const t = await newComplianceTenant(db);
    await seedToken(db, t, 'tok_fenced', { dataCategories: ['health'], residencyRegion: 'EU', geoMode: 'enforce', allowedRegions: ['EU'] });
    await seedToken(db, t, 'tok_personal', { dataCategories: ['personal'] });
    expect(await run(healthDataGeofenceControl(compliance), t)).toMatchObject({ status: 'pass', metrics: { healthDataTokens: 1 } });
    await seedToken(db, t, 'tok_monitored', { dataCategories: ['health'], geoMode: 'monitor', allowedCountries: ['DE'] });
    await seedToken(db, t, 'tok_open', { dataCategories: ['health'], geoMode: 'enforce' });
    const result = await run(healthDataGeofenceControl(compliance), t);
    expect(result).toMatchObject({ status: 'fail', evidenceCount: 2, metrics: { findings: 2, healthDataTokens: 3 } });
    expect(result.rows.map((r) => [r.subject, r.detail])).toEqual([
      ['tok_monitored', 'carries health: geo mode monitor'],
      ['tok_open', 'carries health: no allowed regions or countries'],
    ]);
    // A report reads evidence in keyset pages: the second page starts after the first one's last finding.
    const control = healthDataGeofenceControl(compliance);
    const pages = await db.tenant(t, async (tx) => {
      const ctx = await contextFor(compliance, tx, period);
      const first = await control.evidence(tx, ctx, null, 1);
      return [first, await control.evidence(tx, ctx, first[0]!.key, 1), await control.evidence(tx, ctx, 'tok_open', 1)];
    });
    expect(pages.map((page) => page.map((r) => r.subject))).toEqual([['tok_monitored'], ['tok_open'], []]);
  });

  it("health-data-geofence and personal-data-residency: a geo rule of the tenant's policy fences the tokens reaching its data", async () => {
    const t = await newComplianceTenant(db, { geoRules: [{ dataCategories: ['health'], mode: 'enforce', allowedRegions: ['EU'], allowedCountries: [] }] });
    await seedToken(db, t, 'tok_ruled', { dataCategories: ['health'], residencyRegion: 'EU' });
    await seedToken(db, t, 'tok_personal', { dataCategories: ['personal'], residencyRegion: 'EU' });
    expect(await run(healthDataGeofenceControl(compliance), t)).toMatchObject({ status: 'pass', metrics: { healthDataTokens: 1 } });
    const residency = await run(personalDataResidencyControl(compliance), t);
    expect(residency).toMatchObject({ status: 'fail', evidenceCount: 1, rows: [{ subject: 'tok_personal', detail: 'carries personal: geo mode off' }] });
  });

  it('cross-border-transfers: lists the period\'s transfers per token and country; fails on uses let through outside the geofence, warns on unfenced ones', async () => {
    const t = await newComplianceTenant(db);
    const fenced = { residencyRegion: 'EU', allowedRegions: ['EU'], allowedCountries: ['CH'] };
    await seedToken(db, t, 'tok_enforced', { ...fenced, geoMode: 'enforce' });
    await seedToken(db, t, 'tok_monitored', { ...fenced, geoMode: 'monitor' });
    await seedToken(db, t, 'tok_unfenced', { residencyRegion: 'EU' });
    expect(await run(crossBorderTransfersControl(compliance), t)).toMatchObject({
      status: 'pass', evidenceCount: 0, summary: 'No token was used from outside its residency region in the period.',
    });

    const hour = 3_600_000;
    const use = (tokenId: string, hoursAgo: number, overrides: Partial<UsageEvent> = {}): UsageEvent =>
      usageEvent(t, { tokenId, occurredAt: new Date(Date.now() - hoursAgo * hour), country: 'US', region: 'US', crossBorder: true, ...overrides });
    const writes = new UsageEventRepository();
    const store = async (events: UsageEvent[]) => {
      await db.system((tx) => writes.ensurePartitions(tx, new Date(Date.now() - 10 * 24 * hour), new Date()));
      await db.tenant(t, (tx) => writes.insertBatch(tx, events));
    };
    await store([
      use('tok_enforced', 3, { outcome: 'GEO_BLOCKED' }),
      use('tok_enforced', 2, { outcome: 'GEO_BLOCKED' }),
      use('tok_monitored', 5, { country: 'CH', region: 'EFTA' }),
      use('tok_monitored', 4, { country: 'DE', region: 'EU', crossBorder: false }),
      // Before the period (the last 7 days): not this report's business.
      use('tok_unfenced', 9 * 24),
    ]);
    const refusedAndInside = await run(crossBorderTransfersControl(compliance), t);
    expect(refusedAndInside).toMatchObject({ status: 'pass', evidenceCount: 2, metrics: { transfers: 2, uses: 3, tokens: 2, refused: 1, insideGeofence: 1 } });
    expect(refusedAndInside.rows.map((r) => [r.subject, r.detail])).toEqual([
      ['tok_enforced', 'EU to US (US): 2 uses, 0 let through; every use refused'],
      ['tok_monitored', 'EU to CH (EFTA): 1 use, 1 let through; inside its geofence'],
    ]);

    await store([use('tok_unfenced', 1)]);
    expect(await run(crossBorderTransfersControl(compliance), t)).toMatchObject({ status: 'warn', evidenceCount: 3, metrics: { unfenced: 1 } });

    await store([use('tok_monitored', 3), use('tok_monitored', 2), use('tok_monitored', 1, { outcome: 'INSUFFICIENT_SCOPE' })]);
    const outside = await run(crossBorderTransfersControl(compliance), t);
    expect(outside).toMatchObject({ status: 'fail', evidenceCount: 4, metrics: { outsideGeofence: 1, unfenced: 1, uses: 7, tokens: 3 } });
    expect(outside.rows.find((r) => r.key === 'tok_monitored US')).toMatchObject({
      subject: 'tok_monitored',
      detail: 'EU to US (US): 3 uses, 2 let through; outside its geofence',
      data: { fromRegion: 'EU', toCountry: 'US', toRegion: 'US', count: 3, letThrough: 2, geoBlocked: 0, geoMode: 'monitor', fences: 1, standing: 'outside' },
    });
  });

  it("cross-border-transfers: judges each transfer with the tenant's own region groups and its geo rules", async () => {
    const t = await newComplianceTenant(db, {
      regionGroups: [{ code: 'TRANSATLANTIC', countries: ['US', 'CA', 'GB'] }],
      geoRules: [{ dataCategories: ['health'], mode: 'monitor', allowedRegions: ['EU'], allowedCountries: [] }],
    });
    await seedToken(db, t, 'tok_atlantic', { residencyRegion: 'EU', geoMode: 'monitor', allowedRegions: ['EU', 'TRANSATLANTIC'] });
    await seedToken(db, t, 'tok_health', { residencyRegion: 'EU', geoMode: 'monitor', allowedRegions: ['EU', 'TRANSATLANTIC'], dataCategories: ['health'] });
    const writes = new UsageEventRepository();
    const abroad = (tokenId: string): UsageEvent => usageEvent(t, { tokenId, occurredAt: new Date(Date.now() - 3_600_000), country: 'US', region: 'US', crossBorder: true });
    await db.system((tx) => writes.ensurePartitions(tx, new Date(Date.now() - 3_600_000), new Date()));
    await db.tenant(t, (tx) => writes.insertBatch(tx, [abroad('tok_atlantic'), abroad('tok_health')]));
    const result = await run(crossBorderTransfersControl(compliance), t);
    // Inside the token's own fence by the tenant's group; outside the policy's rule for health data.
    expect(result).toMatchObject({ status: 'fail', metrics: { insideGeofence: 1, outsideGeofence: 1 } });
    expect(result.rows.map((r) => [r.subject, r.data['standing'], r.data['fences']])).toEqual([
      ['tok_atlantic', 'inside', 1],
      ['tok_health', 'outside', 2],
    ]);
  });

  it('audit-chain-integrity: verifies the period, and fails at the sequence number of a forged event', async () => {
    const t = await newComplianceTenant(db);
    await db.tenant(t, (tx) =>
      audit.record(tx, { requestId: null, ip: null }, ...[1, 2, 3].map((n) => ({ action: 'policy.updated' as const, actor: SYSTEM_ACTOR, data: { n } }))),
    );
    const ok = await run(auditChainControl(compliance), t);
    expect(ok).toMatchObject({ status: 'pass', evidenceCount: 1, metrics: { checkedEvents: 3, firstSeq: 1, lastSeq: 3 } });
    // A row inserted with a made-up hash where the next event belongs (custos_app may insert sealed rows).
    await seedForgedAuditEvent(db, t);
    const broken = await run(auditChainControl(compliance), t);
    expect(broken).toMatchObject({ status: 'fail', metrics: { firstInvalidSeq: 4 } });
    expect(broken.rows[0]?.data).toMatchObject({ valid: false, firstInvalidSeq: 4 });
  });

  it('privileged-accounts: lists owners and admins; a dormant one makes it warn', async () => {
    const t = await newComplianceTenant(db);
    await seedUser(db, t, 'usr_owner', 'owner', '1 day');
    await seedUser(db, t, 'usr_viewer', 'viewer', null);
    const ok = await run(privilegedAccountsControl(compliance), t);
    expect(ok).toMatchObject({ status: 'pass', evidenceCount: 1, rows: [{ subject: 'usr_owner' }] });
    await seedUser(db, t, 'usr_admin', 'admin', '200 days');
    const dormant = await run(privilegedAccountsControl(compliance), t);
    expect(dormant).toMatchObject({ status: 'warn', evidenceCount: 2, metrics: { dormant: 1 } });
  });

  it('alert-acknowledgement: fails on an alert unanswered past the SLA, warns on one answered late', async () => {
    const t = await newComplianceTenant(db);
    await seedAlert(db, t, 'alr_in_time', { raisedAgo: '3 hours', acknowledgedAfterMinutes: 10 });
    await seedAlert(db, t, 'alr_fresh', { raisedAgo: '5 minutes' });
    expect(await run(alertAcknowledgementControl(compliance), t)).toMatchObject({ status: 'pass', evidenceCount: 2, metrics: { answeredInTime: 1, overdue: 0 } });
    await seedAlert(db, t, 'alr_late', { raisedAgo: '3 hours', acknowledgedAfterMinutes: 90 });
    expect(await run(alertAcknowledgementControl(compliance), t)).toMatchObject({ status: 'warn', metrics: { answeredLate: 1 } });
    await seedAlert(db, t, 'alr_ignored', { raisedAgo: '2 hours' });
    const result = await run(alertAcknowledgementControl(compliance), t);
    expect(result).toMatchObject({ status: 'fail', evidenceCount: 4, metrics: { overdue: 1, ackWithinMinutes: 60 } });
    expect(result.rows.find((r) => r.key === 'alr_ignored')).toMatchObject({ data: { late: true, answeredAt: null } });
  });

  it('leaked-token-revocation: passes when the reported token was revoked with the report, fails on one still live', async () => {
    const t = await newComplianceTenant(db);
    const report = (tokenId: string, status: string) =>
      db.tenant(t, (tx) => audit.record(tx, { requestId: null, ip: null }, { action: 'token.leak_reported', actor: SYSTEM_ACTOR, target: { type: 'token', id: tokenId }, data: { via: 'github', url: 'https://github.com/o/r', status } }));
    await report('tok_leaked', 'active');
    await seedToken(db, t, 'tok_leaked', { status: 'revoked', revokedAgo: '0', revokedBy: null, revokedReason: 'leaked' });
    const ok = await run(leakedTokenRevocationControl(compliance), t);
    expect(ok).toMatchObject({ status: 'pass', evidenceCount: 1, metrics: { stillLive: 0, slowRevocations: 0 } });
    await seedToken(db, t, 'tok_ignored');
    await report('tok_ignored', 'active');
    const result = await run(leakedTokenRevocationControl(compliance), t);
    expect(result).toMatchObject({ status: 'fail', metrics: { stillLive: 1 } });
    expect(result.rows.find((r) => r.subject === 'tok_ignored')).toMatchObject({ detail: 'github report: token still live' });
  });

  it('alert-remediation: lists remediations with their alerts; one left undone warns', async () => {
    const t = await newComplianceTenant(db);
    await seedAlert(db, t, 'alr_plain', {});
    await seedAlert(db, t, 'alr_suspended', { rule: 'many_networks', tokenId: 'tok_shared', remediation: { action: 'suspend' } });
    expect(await run(alertRemediationControl(compliance), t)).toMatchObject({ status: 'pass', evidenceCount: 1, rows: [{ subject: 'tok_shared', data: { action: 'suspend' } }] });
    await seedAlert(db, t, 'alr_admin', { rule: 'many_networks', tokenId: 'tok_admin', remediation: { action: 'none', skipped: 'owner_service_key' } });
    expect(await run(alertRemediationControl(compliance), t)).toMatchObject({ status: 'warn', evidenceCount: 2, metrics: { done: 1, leftUndone: 1 } });
  });

  it('failed-logins: lists failed log-ins of the period; a lockout makes it warn', async () => {
    const t = await newComplianceTenant(db);
    const target = { type: 'user', id: 'usr_x' };
    await db.tenant(t, (tx) => audit.record(tx, { requestId: null, ip: '203.0.113.9' }, { action: 'auth.login_failed', actor: SYSTEM_ACTOR, target, data: { reason: 'bad_password' } }));
    const ok = await run(failedLoginsControl(compliance), t);
    expect(ok).toMatchObject({ status: 'pass', evidenceCount: 1, metrics: { failedLogins: 1, lockouts: 0 } });
    expect(ok.rows[0]).toMatchObject({ subject: 'usr_x', detail: 'failed log-in (bad_password)', data: { ip: '203.0.113.0/24' } });
    await db.tenant(t, (tx) => audit.record(tx, { requestId: null, ip: null }, { action: 'auth.locked_out', actor: SYSTEM_ACTOR, target, data: { until: 'later' } }));
    expect(await run(failedLoginsControl(compliance), t)).toMatchObject({ status: 'warn', evidenceCount: 2, metrics: { lockouts: 1 } });
  });
});
