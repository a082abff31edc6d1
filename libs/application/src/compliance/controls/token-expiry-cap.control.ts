import { LIVE_TOKEN_STATUSES_SQL } from './control';
import { findingsControl, plural } from './findings-control';

/** Live tokens whose lifetime (creation to expiry) is longer than the policy allows now. */
export const tokenExpiryCapControl = findingsControl({
  id: 'token-expiry-cap',
  title: 'Every live token expires within the policy cap',
  description:
    "Every active, rotating or suspended token has an expiry (the schema requires one) no later than its creation plus the tenant policy's maximum lifetime. A token issued before the cap was lowered is a finding.",
  mappings: {
    soc2: ['CC6.1', 'CC6.2'],
    gdpr: ['Art. 32'],
    hipaa: ['§164.312(d)'],
    pci_dss: ['8.3.9', '8.6.3'],
    psd2: ['RTS art. 22'],
  },
  findings: (ctx) => ({
    sql: `SELECT t.id AS key, t.id AS subject,
                 'expires ' || to_char(t.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ', '
                   || ceil(extract(epoch FROM t.expires_at - t.created_at) / 86400)::int || ' days after creation' AS detail,
                 jsonb_build_object('name', t.name, 'status', t.status, 'createdAt', t.created_at, 'expiresAt', t.expires_at,
                   'lifetimeSeconds', floor(extract(epoch FROM t.expires_at - t.created_at))::bigint,
                   'maxLifetimeSeconds', $1::int) AS data
            FROM tokens t
           WHERE t.status IN ${LIVE_TOKEN_STATUSES_SQL}
             AND t.expires_at > t.created_at + make_interval(secs => $1::int)`,
    params: [ctx.policy.maxLifetimeSeconds],
  }),
  summary: (found, ctx) =>
    found === 0
      ? `Every live token expires within ${Math.round(ctx.policy.maxLifetimeSeconds / 86400)} days of its creation.`
      : `${plural(found, 'live token')} outlive the ${Math.round(ctx.policy.maxLifetimeSeconds / 86400)}-day cap.`,
});
