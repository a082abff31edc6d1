import { HEALTH_DATA_CATEGORIES, healthFenceGaps } from '@custos/domain';
import type { ComplianceControl } from './control';
import { plural } from './findings-control';
import { geofenceFindingsControl, type GeofenceReads } from './geofence-findings';

/** Live tokens reaching health data that a use from anywhere could pass: not enforced, or fencing nothing. */
export const healthDataGeofenceControl = (reads: GeofenceReads): ComplianceControl =>
  geofenceFindingsControl(reads, {
    id: 'health-data-geofence',
    title: 'Tokens reaching health data are geofenced',
    description:
      'Every live token whose data categories include health is held to an enforced geofence naming allowed regions or countries (its own in geo mode enforce, or a geo rule of the tenant policy for its data), so that a use from anywhere else answers GEO_BLOCKED. A token only monitored, off, or enforcing a geofence that names no region or country, is a finding.',
    mappings: {
      soc2: ['CC6.1'],
      gdpr: ['Art. 9', 'Art. 32', 'Art. 44'],
      hipaa: ['§164.312(a)(1)'],
    },
    categories: () => HEALTH_DATA_CATEGORIES,
    gaps: healthFenceGaps,
    scopeMetric: 'healthDataTokens',
    summary: (found, inScope) =>
      found === 0
        ? `Every live token reaching health data (${inScope}) enforces a geofence.`
        : `${plural(found, 'live token')} of ${inScope} reaching health data are not geofenced.`,
  });
