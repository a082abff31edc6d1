import { countEvidence, evidencePage, type ComplianceControl, type ControlContext } from './control';
import { plural } from './findings-control';

/** Audit actions of the log-in path (libs/application/src/accounts/auth.service.ts). */
export const LOGIN_FAILED_ACTION = 'auth.login_failed';
export const LOCKED_OUT_ACTION = 'auth.locked_out';

const attempts = (ctx: ControlContext) => ({
  sql: `SELECT lpad(e.id::text, 20, '0') AS key, coalesce(e.target_id, 'unknown account') AS subject,
               CASE WHEN e.action = '${LOCKED_OUT_ACTION}' THEN 'locked out until ' || coalesce(e.data->>'until', '?')
                    ELSE 'failed log-in (' || coalesce(e.data->>'reason', 'unknown') || ')' END AS detail,
               jsonb_build_object('action', e.action, 'at', e.occurred_at, 'seq', e.seq, 'ip', e.data->>'ip',
                                  'reason', e.data->>'reason') AS data
          FROM audit_events e
         WHERE e.action IN ('${LOGIN_FAILED_ACTION}', '${LOCKED_OUT_ACTION}') AND e.occurred_at >= $1 AND e.occurred_at < $2`,
  params: [ctx.from, ctx.to],
});

/**
 * Failed log-ins are expected; what an auditor wants is that they are recorded and that repeated ones
 * lock the account. Lockouts in the period make the control warn, so someone looks at them.
 */
export const failedLoginsControl: ComplianceControl = {
  id: 'failed-logins',
  title: 'Failed log-ins and lockouts are recorded',
  description:
    'Lists the failed log-ins (auth.login_failed) and account lockouts (auth.locked_out) of the period from the audit trail. Lockouts make the control warn, for review.',
  mappings: {
    soc2: ['CC6.1', 'CC7.2'],
    hipaa: ['§164.312(b)', '§164.312(d)'],
    pci_dss: ['10.2'],
    gdpr: ['Art. 32'],
  },
  async assess(tx, ctx) {
    const query = attempts(ctx);
    const count = await countEvidence(tx, query.sql, query.params);
    const row = await tx.one<{ failed: number; locked: number }>(
      `SELECT count(*) FILTER (WHERE action = '${LOGIN_FAILED_ACTION}')::int AS failed,
              count(*) FILTER (WHERE action = '${LOCKED_OUT_ACTION}')::int AS locked
         FROM audit_events WHERE action IN ('${LOGIN_FAILED_ACTION}', '${LOCKED_OUT_ACTION}') AND occurred_at >= $1 AND occurred_at < $2`,
      [ctx.from, ctx.to],
    );
    const failed = row?.failed ?? 0;
    const locked = row?.locked ?? 0;
    return {
      status: locked > 0 ? 'warn' : 'pass',
      summary: `${plural(failed, 'failed log-in')} and ${plural(locked, 'lockout')} in the period.`,
      evidenceCount: count,
      metrics: { failedLogins: failed, lockouts: locked },
    };
  },
  evidence(tx, ctx, after, limit) {
    const query = attempts(ctx);
    return evidencePage(tx, query.sql, query.params, after, limit);
  },
};
