import { findingsControl, plural } from './findings-control';

/**
 * Tokens older than their rotation interval (their own, else the policy's default). A token with no
 * interval at all cannot be checked: it is counted and makes the control warn, not pass.
 */
export const tokenRotationAgeControl = findingsControl({
  id: 'token-rotation-age',
  title: 'No token is older than its rotation interval',
  description:
    "Active and suspended tokens are younger than their rotation interval (the token's own, else the policy's default). Rotating tokens are in their grace period and are left out. Tokens with no interval cannot be checked and make the control warn.",
  mappings: {
    soc2: ['CC6.1'],
    gdpr: ['Art. 32'],
    pci_dss: ['8.3.9', '8.6.3'],
    psd2: ['RTS art. 22'],
  },
  findings: (ctx) => ({
    sql: `SELECT t.id AS key, t.id AS subject,
                 CASE WHEN coalesce(t.rotation_interval_seconds, $1::int) IS NULL THEN 'no rotation interval'
                      ELSE floor(extract(epoch FROM $2::timestamptz - t.created_at) / 86400)::int || ' days old, rotation every '
                             || ceil(coalesce(t.rotation_interval_seconds, $1::int) / 86400.0)::int || ' days' END AS detail,
                 jsonb_build_object('name', t.name, 'status', t.status, 'createdAt', t.created_at,
                   'rotationIntervalSeconds', coalesce(t.rotation_interval_seconds, $1::int)) AS data
            FROM tokens t
           WHERE t.status IN ('active', 'suspended')
             AND (coalesce(t.rotation_interval_seconds, $1::int) IS NULL
                  OR t.created_at + make_interval(secs => coalesce(t.rotation_interval_seconds, $1::int)) < $2::timestamptz)`,
    params: [ctx.policy.defaultRotationIntervalSeconds, ctx.now],
  }),
  async metrics(tx, ctx) {
    const row = await tx.one<{ overdue: number; unchecked: number }>(
      `SELECT count(*) FILTER (WHERE coalesce(rotation_interval_seconds, $1::int) IS NOT NULL)::int AS overdue,
              count(*) FILTER (WHERE coalesce(rotation_interval_seconds, $1::int) IS NULL)::int AS unchecked
         FROM tokens
        WHERE status IN ('active', 'suspended')
          AND (coalesce(rotation_interval_seconds, $1::int) IS NULL
               OR created_at + make_interval(secs => coalesce(rotation_interval_seconds, $1::int)) < $2::timestamptz)`,
      [ctx.policy.defaultRotationIntervalSeconds, ctx.now],
    );
    return { overdue: row?.overdue ?? 0, withoutInterval: row?.unchecked ?? 0 };
  },
  decide: (found, metrics) => (found === 0 ? 'pass' : Number(metrics.overdue) > 0 ? 'fail' : 'warn'),
  summary: (found, _ctx, metrics) =>
    found === 0
      ? 'Every active token is younger than its rotation interval.'
      : `${plural(Number(metrics.overdue), 'token')} overdue for rotation; ${plural(Number(metrics.withoutInterval), 'token')} without a rotation interval.`,
});
