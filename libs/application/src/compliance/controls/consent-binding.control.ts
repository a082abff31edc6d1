import { LIVE_TOKEN_STATUSES_SQL } from './control';
import { findingsControl, plural } from './findings-control';

/** Live tokens reaching categories the policy reserves for consented access, with no consent bound. */
export const consentBindingControl = findingsControl({
  id: 'consent-binding',
  title: 'Tokens carrying personal or health data are bound to a consent',
  description:
    "Every live token whose data categories include one the tenant policy's requireConsentFor names (by default personal and health) is bound to a consent. A token issued before the policy named its category is a finding.",
  mappings: {
    gdpr: ['Art. 7(3)', 'Art. 30'],
    psd2: ['RTS art. 22'],
  },
  findings: (ctx) => ({
    sql: `SELECT t.id AS key, t.id AS subject,
                 'carries ' || array_to_string(t.data_categories, ', ') || ' without a consent' AS detail,
                 jsonb_build_object('name', t.name, 'status', t.status, 'dataCategories', array_to_string(t.data_categories, ' ')) AS data
            FROM tokens t
           WHERE t.status IN ${LIVE_TOKEN_STATUSES_SQL} AND t.consent_id IS NULL AND t.data_categories && $1::text[]`,
    params: [ctx.policy.requireConsentFor],
  }),
  summary: (found, ctx) =>
    found === 0
      ? `Every live token carrying ${ctx.policy.requireConsentFor.join(' or ') || 'consent-bound'} data is bound to a consent.`
      : `${plural(found, 'live token')} carry ${ctx.policy.requireConsentFor.join(' or ')} data without a consent.`,
});
