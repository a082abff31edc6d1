import { findingsControl, plural } from './findings-control';

/** Active tokens quiet for longer than the policy's limit (the quiet period as the unused-token sweep counts it). */
export const unusedTokensControl = findingsControl({
  id: 'unused-tokens',
  title: "No active token is unused past the policy's limit",
  description:
    "No active token has gone unused (since its creation, last use or last resume, whichever is latest) for longer than the tenant policy's disableUnusedAfterDays. The worker suspends such tokens; a finding means it has not yet.",
  mappings: {
    soc2: ['CC6.2', 'CC6.3'],
    gdpr: ['Art. 5(1)(e)'],
    pci_dss: ['8.6.3'],
  },
  findings: (ctx) => ({
    sql: `SELECT t.id AS key, t.id AS subject,
                 'unused since ' || to_char(greatest(t.created_at, t.last_used_at, t.resumed_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS detail,
                 jsonb_build_object('name', t.name, 'lastUsedAt', t.last_used_at, 'createdAt', t.created_at,
                   'unusedSince', greatest(t.created_at, t.last_used_at, t.resumed_at), 'limitDays', $1::int) AS data
            FROM tokens t
           WHERE t.status = 'active'
             AND greatest(t.created_at, t.last_used_at, t.resumed_at) <= $2::timestamptz - make_interval(days => $1::int)`,
    params: [ctx.policy.disableUnusedAfterDays, ctx.now],
  }),
  summary: (found, ctx) =>
    found === 0
      ? `Every active token was used (or created or resumed) within the last ${ctx.policy.disableUnusedAfterDays} days.`
      : `${plural(found, 'active token')} unused for more than ${ctx.policy.disableUnusedAfterDays} days.`,
});
