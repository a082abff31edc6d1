import type { Policy } from '../features/settings/api/policy.queries';

/** A tenant's policy as GET /v1/policy sends it: the defaults, one geo rule (health stays in the EU), no groups of its own. */
export function policyFixture(over: Partial<Policy> = {}): Policy {
  return {
    maxLifetimeSeconds: 90 * 86_400,
    defaultRotationIntervalSeconds: null,
    defaultGracePeriodSeconds: 86_400,
    disableUnusedAfterDays: 90,
    requireConsentFor: ['personal', 'health'],
    usageRetentionDays: 90,
    apiRateLimit: { limit: 1200, windowSeconds: 60 },
    geo: {
      defaultMode: 'off',
      defaultResidencyRegion: null,
      unknownLocation: 'allow',
      rules: [{ dataCategories: ['health'], mode: 'enforce', allowedRegions: ['EU'], allowedCountries: [] }],
      regionGroups: [],
    },
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...over,
  };
}
