import { PERSONAL_DATA_CATEGORIES, residencyGaps } from '@custos/domain';
import type { ComplianceControl, ControlContext } from './control';
import { plural } from './findings-control';
import { geofenceFindingsControl, type GeofenceReads } from './geofence-findings';

/** Personal data: the categories that always are, and those the tenant's policy reserves for consented access. */
export const personalDataCategories = (ctx: ControlContext): string[] => [...new Set([...PERSONAL_DATA_CATEGORIES, ...ctx.policy.requireConsentFor])];

/** Live tokens reaching personal data whose uses cannot be placed: no residency region, or geo mode off. */
export const personalDataResidencyControl = (reads: GeofenceReads): ComplianceControl =>
  geofenceFindingsControl(reads, {
    id: 'personal-data-residency',
    title: 'Tokens reaching personal data have a residency region and a geofence',
    description:
      "Every live token whose data categories include personal data (personal, health, and whatever the tenant policy's requireConsentFor names) has a residency region, so that a use from outside it is recorded as a cross-border transfer, and a geo mode other than off (monitor or enforce) or a geo rule of the tenant policy fencing its data, so that uses outside its geofence are flagged or refused. Each token lacking either is a finding.",
    mappings: {
      soc2: ['CC6.1'],
      gdpr: ['Art. 30(1)(e)', 'Art. 44'],
    },
    categories: personalDataCategories,
    gaps: residencyGaps,
    scopeMetric: 'personalDataTokens',
    summary: (found, inScope) =>
      found === 0
        ? `Every live token reaching personal data (${inScope}) has a residency region and a geo mode other than off.`
        : `${plural(found, 'live token')} of ${inScope} reaching personal data lack a residency region or a geo mode.`,
  });
