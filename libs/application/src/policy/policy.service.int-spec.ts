import { ErrorCode } from '@custos/contracts';
import { ALERT_RULE_DEFAULTS, DomainError } from '@custos/domain';
import { auditTrailOf, createTenant, userPrincipal, useMediumDatabase } from '@custos/fixtures';
import { PolicyRepository } from '@custos/persistence';
import { auditOn } from '../testing/audit-on';
import { refusalOf } from '../testing/refusal';
import { TokenCache } from '../verify/token-cache';
import { TokenChanges } from '../feed/token-changes';
import { PolicyService, type PolicyInput } from './policy.service';

/** The tenant's policy on the real database: what issuing reads as its caps, replaced atomically with its audit event. */
describe('PolicyService (medium)', () => {
  const db = useMediumDatabase();
  const { audit, sealer } = auditOn(db);
  // Seals run after commit: they finish before the file's pool closes.
  afterEach(() => sealer.drain());
  const tokenCache = new TokenCache({ verifyCacheTtlMs: 30_000, sessionTtlSeconds: 1, usageFlushIntervalMs: 1, loginMinResponseMs: 0 });
  const policies = new PolicyService(db, audit, new TokenChanges(tokenCache), new PolicyRepository());
  const meta = { requestId: 'req_policy', ip: null };
  const caps: PolicyInput = { maxLifetimeSeconds: 3600, defaultRotationIntervalSeconds: 1800, defaultGracePeriodSeconds: 60, disableUnusedAfterDays: 30 };

  let tenantId: string;
  beforeEach(async () => {
    tenantId = await createTenant(db);
  });

  /** The policy as issuing reads it, inside its own transaction (cached briefly). */
  const inForce = () => db.tenant(tenantId, (tx) => policies.current(tx));
  /** The policy as stored, past any cache. */
  const stored = () => db.tenant(tenantId, (tx) => new PolicyRepository().get(tx));

  it("gives a new tenant the defaults: 90-day tokens, consent needed for personal and health data, no geofence, 1,200 API requests a minute per key", async () => {
    expect(await policies.get(userPrincipal(tenantId, 'viewer'))).toEqual({
      maxLifetimeSeconds: 7_776_000,
      defaultRotationIntervalSeconds: null,
      defaultGracePeriodSeconds: 86_400,
      disableUnusedAfterDays: 90,
      requireConsentFor: ['personal', 'health'],
      usageRetentionDays: 90,
      apiRateLimit: { limit: 1200, windowSeconds: 60 },
      geo: { defaultMode: 'off', defaultResidencyRegion: null, unknownLocation: 'allow', rules: [], regionGroups: [] },
      alerts: { rules: ALERT_RULE_DEFAULTS, ackWithinMinutes: 60, remediateOwnerServiceKeys: false },
      reviews: { intervalDays: null, scope: { all: true }, dueInDays: 14, onOverdue: 'none', remindBeforeDays: 3, separationOfDuties: false },
      auth: { requireMfaForRoles: [], stepUpSeconds: 600, idleMinutes: 120, absoluteHours: 12 },
      updatedAt: expect.any(String),
    });
  });

  it('changes the sign-in policy field by field, and refuses limits out of range naming each field', async () => {
    const admin = userPrincipal(tenantId, 'admin');
    const after = await policies.replace(admin, { ...caps, auth: { requireMfaForRoles: ['owner', 'admin', 'owner'], idleMinutes: 30 } }, meta);
    expect(after.auth).toEqual({ requireMfaForRoles: ['owner', 'admin'], stepUpSeconds: 600, idleMinutes: 30, absoluteHours: 12 });
    const kept = await policies.replace(admin, { ...caps, auth: { stepUpSeconds: 300 } }, meta);
    expect(kept.auth).toEqual({ requireMfaForRoles: ['owner', 'admin'], stepUpSeconds: 300, idleMinutes: 30, absoluteHours: 12 });

    const refused = await refusalOf(policies.replace(admin, { ...caps, auth: { stepUpSeconds: 5, absoluteHours: 0 } }, meta));
    expect(refused.fieldErrors.map((e) => e.field).sort()).toEqual(['auth.absoluteHours', 'auth.stepUpSeconds']);
    expect((await stored()).auth).toEqual(kept.auth);
  });

  it('changes alert rules rule by rule and field by field, storing only what differs from the defaults', async () => {
    const admin = userPrincipal(tenantId, 'admin');
    await policies.replace(admin, { ...caps, alerts: { rules: { many_networks: { threshold: 3, remediation: 'suspend' } }, ackWithinMinutes: 15 } }, meta);
    const after = await policies.replace(admin, { ...caps, alerts: { rules: { many_networks: { severity: 'critical' }, brute_force: { enabled: false } } } }, meta);
    expect(after.alerts).toEqual({
      rules: {
        ...ALERT_RULE_DEFAULTS,
        many_networks: { enabled: true, threshold: 3, windowSeconds: 3600, severity: 'critical', remediation: 'suspend' },
        brute_force: { ...ALERT_RULE_DEFAULTS.brute_force, enabled: false },
      },
      ackWithinMinutes: 15,
      remediateOwnerServiceKeys: false,
    });
    expect((await stored()).alertRules).toEqual({ many_networks: { threshold: 3, severity: 'critical', remediation: 'suspend' }, brute_force: { enabled: false } });
  });

  it('refuses an alert rule given a parameter it does not take, or a leak report softened, and changes nothing', async () => {
    const admin = userPrincipal(tenantId, 'admin');
    const refused = await policies
      .replace(admin, { ...caps, alerts: { rules: { dead_token_used: { threshold: 5 }, leaked: { enabled: false } } } }, meta)
      .catch((e: unknown) => e);
    expect((refused as DomainError).fieldErrors.map((f) => f.field)).toEqual(['alerts.rules.dead_token_used.threshold', 'alerts.rules.leaked']);
    expect((await stored()).alertRules).toEqual({});
    expect((await auditTrailOf(db, tenantId)).map((e) => e.action)).toEqual([]);
  });

  it('applies replaced caps to the next issue at once, with the before and after audited', async () => {
    const before = await policies.get(userPrincipal(tenantId, 'viewer'));
    expect((await inForce()).maxLifetimeSeconds).toBe(7_776_000);
    const admin = userPrincipal(tenantId, 'admin');

    const after = await policies.replace(admin, caps, meta);

    expect(after).toEqual({ ...before, ...caps, updatedAt: expect.any(String) });
    expect(await inForce()).toMatchObject({ maxLifetimeSeconds: 3600, defaultRotationIntervalSeconds: 1800, defaultGracePeriodSeconds: 60, disableUnusedAfterDays: 30 });
    const events = (await auditTrailOf(db, tenantId)).filter((e) => e.action === 'policy.updated');
    expect(events.map((e) => [e.actor_id, e.target_id, e.data])).toEqual([[admin.id, tenantId, { before, after }]]);
  });

  it('keeps requireConsentFor when left out, dedupes it when given, and only then tells the verify cache', async () => {
    const admin = userPrincipal(tenantId, 'admin');
    const generation = tokenCache.generation;

    await policies.replace(admin, caps, meta);
    expect(tokenCache.generation).toBe(generation);

    const replaced = await policies.replace(admin, { ...caps, requireConsentFor: ['health', 'health', 'financial'] }, meta);
    expect(replaced.requireConsentFor).toEqual(['health', 'financial']);
    expect(tokenCache.generation).toBeGreaterThan(generation);
    expect((await stored()).requireConsentFor).toEqual(['health', 'financial']);
  });

  it('replaces the geo policy field by field, checks its codes against its own groups, and tells the verify cache', async () => {
    const admin = userPrincipal(tenantId, 'admin');
    const generation = tokenCache.generation;
    const healthInDach = { dataCategories: ['health'], mode: 'enforce' as const, allowedRegions: ['DACH'], allowedCountries: [] };

    const replaced = await policies.replace(
      admin,
      { ...caps, usageRetentionDays: 30, geo: { regionGroups: [{ code: 'DACH', name: 'DACH', countries: ['DE', 'AT', 'CH'] }], rules: [healthInDach] } },
      meta,
    );

    expect(replaced).toMatchObject({ usageRetentionDays: 30, geo: { defaultMode: 'off', unknownLocation: 'allow', rules: [healthInDach] } });
    expect(tokenCache.generation).toBeGreaterThan(generation);
    // A PUT leaving geo out keeps it; one naming a field keeps the others.
    expect((await policies.replace(admin, caps, meta)).geo.rules).toEqual([healthInDach]);
    const strict = await policies.replace(admin, { ...caps, geo: { unknownLocation: 'block' } }, meta);
    expect(strict.geo).toMatchObject({ unknownLocation: 'block', rules: [healthInDach] });
    expect((await stored()).usageRetentionDays).toBe(30);
  });

  it('refuses a geo rule naming a region that does not exist, and changes nothing', async () => {
    const admin = userPrincipal(tenantId, 'admin');
    const refused = await policies
      .replace(admin, { ...caps, geo: { rules: [{ dataCategories: ['health'], mode: 'enforce', allowedRegions: ['ATLANTIS'], allowedCountries: [] }] } }, meta)
      .catch((e: unknown) => e);

    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).fieldErrors).toEqual([{ field: 'geo.rules.0.allowedRegions', message: 'names no region group: ATLANTIS' }]);
    expect((await stored()).geoRules).toEqual([]);
    expect((await auditTrailOf(db, tenantId)).map((e) => e.action)).toEqual([]);
  });

  it('changes nothing when the database refuses a cap, and nothing is audited', async () => {
    const admin = userPrincipal(tenantId, 'admin');
    await inForce();

    await expect(policies.replace(admin, { ...caps, maxLifetimeSeconds: 0 }, meta)).rejects.toThrow();

    expect((await stored()).maxLifetimeSeconds).toBe(7_776_000);
    expect((await inForce()).maxLifetimeSeconds).toBe(7_776_000);
    expect((await auditTrailOf(db, tenantId)).map((e) => e.action)).toEqual([]);
  });

  it("needs custos:policy:write, and one tenant's policy never touches another's", async () => {
    const viewer = userPrincipal(tenantId, 'viewer');
    const refused = await policies.replace(viewer, caps, meta).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe(ErrorCode.FORBIDDEN);

    const other = await createTenant(db);
    await policies.replace(userPrincipal(other, 'owner'), caps, meta);
    expect((await policies.get(viewer)).maxLifetimeSeconds).toBe(7_776_000);
    expect((await stored()).maxLifetimeSeconds).toBe(7_776_000);
  });
});
