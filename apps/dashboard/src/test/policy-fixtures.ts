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
    alerts: {
      ackWithinMinutes: 60,
      remediateOwnerServiceKeys: false,
      rules: {
        dead_token_used: { enabled: true, severity: 'high', remediation: 'none' },
        cross_border_use: { enabled: true, severity: 'medium', remediation: 'none' },
        new_country: { enabled: true, windowSeconds: 30 * 86_400, severity: 'medium', remediation: 'none' },
        new_country_sign_in: { enabled: true, severity: 'medium', remediation: 'none' },
        many_networks: { enabled: true, threshold: 10, windowSeconds: 3600, severity: 'high', remediation: 'none' },
        usage_spike: { enabled: true, threshold: 10, windowSeconds: 300, severity: 'medium', remediation: 'none' },
        brute_force: { enabled: true, threshold: 20, windowSeconds: 60, severity: 'high', remediation: 'none' },
        plaintext_transport: { enabled: true, severity: 'medium', remediation: 'none' },
        rate_limited_repeatedly: { enabled: true, threshold: 3, windowSeconds: 600, severity: 'low', remediation: 'none' },
        leaked: { enabled: true, severity: 'critical', remediation: 'revoke' },
      },
    },
    reviews: { intervalDays: null, scope: { all: true }, dueInDays: 14, onOverdue: 'none', remindBeforeDays: 3, separationOfDuties: false },
    auth: { requireMfaForRoles: [], stepUpSeconds: 600, idleMinutes: 120, absoluteHours: 12 },
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...over,
  };
}
