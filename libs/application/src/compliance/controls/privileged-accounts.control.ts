import { countEvidence, evidencePage, type ComplianceControl, type ControlContext } from './control';
import { plural } from './findings-control';

/** A privileged account without a log-in for this long is dormant access and makes the control warn. */
export const DORMANT_PRIVILEGED_DAYS = 90;

const privileged = (ctx: ControlContext) => ({
  sql: `SELECT u.id AS key, u.id AS subject,
               u.role || ', ' || CASE WHEN u.last_login_at IS NULL THEN 'never logged in'
                                      ELSE 'last log-in ' || to_char(u.last_login_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') END AS detail,
               jsonb_build_object('email', u.email, 'role', u.role, 'createdAt', u.created_at, 'lastLoginAt', u.last_login_at,
                 'dormant', coalesce(u.last_login_at, u.created_at) < $1::timestamptz - make_interval(days => ${DORMANT_PRIVILEGED_DAYS})) AS data
          FROM users u
         WHERE u.role IN ('owner', 'admin')`,
  params: [ctx.now],
});

/** The listing auditors ask for: who holds owner or admin, and whether they still use it. */
export const privilegedAccountsControl: ComplianceControl = {
  id: 'privileged-accounts',
  title: 'Privileged accounts are listed and in use',
  description: `Lists every account with the owner or admin role (privileged access), with its last log-in. An owner or admin that has not logged in for ${DORMANT_PRIVILEGED_DAYS} days is dormant privileged access and makes the control warn.`,
  mappings: {
    soc2: ['CC6.1', 'CC6.3'],
    gdpr: ['Art. 32'],
    hipaa: ['§164.312(d)'],
    pci_dss: ['8.6.3'],
  },
  async assess(tx, ctx) {
    const query = privileged(ctx);
    const count = await countEvidence(tx, query.sql, query.params);
    const dormant = await tx.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM users WHERE role IN ('owner', 'admin')
          AND coalesce(last_login_at, created_at) < $1::timestamptz - make_interval(days => ${DORMANT_PRIVILEGED_DAYS})`,
      [ctx.now],
    );
    const dormantCount = dormant?.n ?? 0;
    return {
      status: dormantCount > 0 ? 'warn' : 'pass',
      summary: `${plural(count, 'privileged account')}${dormantCount > 0 ? `, ${dormantCount} dormant` : ''}.`,
      evidenceCount: count,
      metrics: { privilegedAccounts: count, dormant: dormantCount },
    };
  },
  evidence(tx, ctx, after, limit) {
    const query = privileged(ctx);
    return evidencePage(tx, query.sql, query.params, after, limit);
  },
};
