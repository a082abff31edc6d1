import { BARE_SCOPE_SQL, MAX_SCOPES_PER_TOKEN, WILDCARD_SCOPE_SQL } from '../scope-breadth';
import { LIVE_TOKEN_STATUSES_SQL } from './control';
import { findingsControl, plural } from './findings-control';

const WILDCARD = WILDCARD_SCOPE_SQL('t.scopes');
const BARE = BARE_SCOPE_SQL('t.scopes');

/** Live tokens with a wildcard-like scope (fail), or a bare resource scope or too many scopes (warn). */
export const scopeBreadthControl = findingsControl({
  id: 'scope-breadth',
  title: 'No wildcard or over-broad scopes',
  description: `No live token holds a scope that names no particular permission (all, admin, root, …:all, …:admin): such a scope fails the control. A bare resource scope without an action (orders rather than orders:read) or more than ${MAX_SCOPES_PER_TOKEN} scopes on one token makes it warn.`,
  mappings: {
    soc2: ['CC6.1', 'CC6.3'],
    gdpr: ['Art. 32'],
    pci_dss: ['8.6.3'],
    psd2: ['RTS art. 22'],
  },
  findings: () => ({
    sql: `SELECT t.id AS key, t.id AS subject,
                 CASE WHEN ${WILDCARD} THEN 'wildcard scope' WHEN ${BARE} THEN 'scope without an action'
                      ELSE cardinality(t.scopes) || ' scopes' END || ': ' || array_to_string(t.scopes, ' ') AS detail,
                 jsonb_build_object('name', t.name, 'status', t.status, 'scopes', array_to_string(t.scopes, ' '),
                   'wildcard', ${WILDCARD}) AS data
            FROM tokens t
           WHERE t.status IN ${LIVE_TOKEN_STATUSES_SQL}
             AND (${WILDCARD} OR ${BARE} OR cardinality(t.scopes) > ${MAX_SCOPES_PER_TOKEN})`,
    params: [],
  }),
  async metrics(tx) {
    const row = await tx.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM tokens t WHERE t.status IN ${LIVE_TOKEN_STATUSES_SQL} AND ${WILDCARD}`,
    );
    return { wildcard: row?.n ?? 0 };
  },
  decide: (found, metrics) => (found === 0 ? 'pass' : Number(metrics.wildcard) > 0 ? 'fail' : 'warn'),
  summary: (found, _ctx, metrics) =>
    found === 0
      ? 'Every live token holds specific resource:action scopes.'
      : `${plural(Number(metrics.wildcard), 'live token')} with a wildcard scope; ${plural(found, 'token')} with over-broad scopes in all.`,
});
