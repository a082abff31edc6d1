import { findingsControl, plural } from './findings-control';

/** Revocations of the period that do not say why or by whom. */
export const revocationAccountabilityControl = findingsControl({
  id: 'revocation-accountability',
  title: 'Every revocation has a reason and an actor',
  description: 'Every token revoked within the period records who revoked it (a person, a service key or the system on their behalf) and why.',
  mappings: {
    soc2: ['CC6.2', 'CC7.2'],
    gdpr: ['Art. 30'],
    hipaa: ['§164.312(b)'],
    pci_dss: ['10.2'],
  },
  findings: (ctx) => ({
    sql: `SELECT t.id AS key, t.id AS subject,
                 concat_ws(' and ', CASE WHEN coalesce(trim(t.revoked_reason), '') = '' THEN 'no reason' END,
                                    CASE WHEN t.revoked_by IS NULL THEN 'no actor' END) AS detail,
                 jsonb_build_object('name', t.name, 'revokedAt', t.revoked_at, 'revokedBy', t.revoked_by, 'revokedReason', t.revoked_reason) AS data
            FROM tokens t
           WHERE t.revoked_at >= $1 AND t.revoked_at < $2
             AND (coalesce(trim(t.revoked_reason), '') = '' OR t.revoked_by IS NULL)`,
    params: [ctx.from, ctx.to],
  }),
  async metrics(tx, ctx) {
    const row = await tx.one<{ n: number }>(`SELECT count(*)::int AS n FROM tokens WHERE revoked_at >= $1 AND revoked_at < $2`, [ctx.from, ctx.to]);
    return { revocations: row?.n ?? 0 };
  },
  summary: (found, _ctx, metrics) =>
    found === 0
      ? `All ${plural(Number(metrics.revocations), 'revocation')} of the period have a reason and an actor.`
      : `${plural(found, 'revocation')} of ${Number(metrics.revocations)} lack a reason or an actor.`,
});
