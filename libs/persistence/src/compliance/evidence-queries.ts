import type { EvidenceSet, ScopeBreadthRule } from './evidence';

/** An evidence query: SQL selecting key, subject, detail, data (jsonb), and its parameters. */
export interface EvidenceQuery {
  sql: string;
  params: unknown[];
}

/** Token statuses in which a token still works or will again (suspended can be resumed). */
export const LIVE_TOKEN_STATUSES_SQL = `('active', 'rotating', 'suspended')`;

/** Audit actions of the log-in path (libs/application/src/accounts/auth.service.ts). */
export const LOGIN_FAILED_ACTION = 'auth.login_failed';
export const LOCKED_OUT_ACTION = 'auth.locked_out';

/** When someone first answered an alert: its acknowledgement, else its resolution. */
export const ALERT_ANSWERED_AT_SQL = 'coalesce(a.acknowledged_at, a.resolved_at)';

/**
 * Campaigns due within the period ($1, $2), or open past their due date at $3, with their items counted
 * (as `c` and `n`): what the access review control reads.
 */
export const ACCESS_REVIEWS_IN_PERIOD_SQL = `access_review_campaigns c
  CROSS JOIN LATERAL (SELECT count(*)::int AS total, count(*) FILTER (WHERE i.status = 'decided')::int AS decided,
                             count(*) FILTER (WHERE i.status = 'overdue')::int AS overdue, count(*) FILTER (WHERE i.status = 'pending')::int AS pending
                        FROM access_review_items i WHERE i.tenant_id = c.tenant_id AND i.campaign_id = c.id) n
  WHERE (c.due_at >= $1 AND c.due_at < $2) OR (c.status = 'open' AND c.due_at <= $3::timestamptz)`;

/** A campaign not completed on time: items overdue, or undecided once it closed or its due date ($3 is now) passed. */
export const ACCESS_REVIEW_LATE_SQL = `(n.overdue > 0 OR (n.pending > 0 AND (c.closed_at IS NOT NULL OR c.due_at <= $3::timestamptz)))`;

/** What goes into SQL text rather than a parameter must be a whole number or a plain scope word. */
function wholeNumber(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a whole number: ${n}`);
  return n;
}
const SCOPE_WORD = /^[a-z0-9_:.-]+$/;
function scopeWords(words: readonly string[]): readonly string[] {
  const bad = words.find((w) => !SCOPE_WORD.test(w));
  if (bad !== undefined) throw new Error(`not a plain scope word: ${bad}`);
  return words;
}

/** The scope-breadth rule as SQL over a text[] column. */
export const WILDCARD_SCOPE_SQL = (column: string, rule: ScopeBreadthRule): string =>
  `EXISTS (SELECT 1 FROM unnest(${column}) s WHERE s IN (${scopeWords(rule.allPowerful).map((w) => `'${w}'`).join(', ')})
             OR ${scopeWords(rule.allSuffixes).map((x) => `s LIKE '%${x}'`).join(' OR ')})`;
export const BARE_SCOPE_SQL = (column: string): string => `EXISTS (SELECT 1 FROM unnest(${column}) s WHERE position(':' IN s) = 0)`;

/** The SQL of each evidence set (the queries as the controls were measured with). */
export function evidenceQuery(set: EvidenceSet): EvidenceQuery {
  switch (set.of) {
    case 'tokens_outliving_cap':
      return {
        sql: `SELECT t.id AS key, t.id AS subject,
                 'expires ' || to_char(t.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ', '
                   || ceil(extract(epoch FROM t.expires_at - t.created_at) / 86400)::int || ' days after creation' AS detail,
                 jsonb_build_object('name', t.name, 'status', t.status, 'createdAt', t.created_at, 'expiresAt', t.expires_at,
                   'lifetimeSeconds', floor(extract(epoch FROM t.expires_at - t.created_at))::bigint,
                   'maxLifetimeSeconds', $1::int) AS data
            FROM tokens t
           WHERE t.status IN ${LIVE_TOKEN_STATUSES_SQL}
             AND t.expires_at > t.created_at + make_interval(secs => $1::int)`,
        params: [set.maxLifetimeSeconds],
      };
    case 'tokens_due_rotation':
      return {
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
        params: [set.defaultRotationSeconds, set.now],
      };
    case 'unused_tokens':
      return {
        sql: `SELECT t.id AS key, t.id AS subject,
                 'unused since ' || to_char(greatest(t.created_at, t.last_used_at, t.resumed_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS detail,
                 jsonb_build_object('name', t.name, 'lastUsedAt', t.last_used_at, 'createdAt', t.created_at,
                   'unusedSince', greatest(t.created_at, t.last_used_at, t.resumed_at), 'limitDays', $1::int) AS data
            FROM tokens t
           WHERE t.status = 'active'
             AND greatest(t.created_at, t.last_used_at, t.resumed_at) <= $2::timestamptz - make_interval(days => $1::int)`,
        params: [set.days, set.now],
      };
    case 'broad_scope_tokens': {
      const WILDCARD = WILDCARD_SCOPE_SQL('t.scopes', set.rule);
      const BARE = BARE_SCOPE_SQL('t.scopes');
      return {
        sql: `SELECT t.id AS key, t.id AS subject,
                 CASE WHEN ${WILDCARD} THEN 'wildcard scope' WHEN ${BARE} THEN 'scope without an action'
                      ELSE cardinality(t.scopes) || ' scopes' END || ': ' || array_to_string(t.scopes, ' ') AS detail,
                 jsonb_build_object('name', t.name, 'status', t.status, 'scopes', array_to_string(t.scopes, ' '),
                   'wildcard', ${WILDCARD}) AS data
            FROM tokens t
           WHERE t.status IN ${LIVE_TOKEN_STATUSES_SQL}
             AND (${WILDCARD} OR ${BARE} OR cardinality(t.scopes) > ${wholeNumber(set.rule.maxScopes)})`,
        params: [],
      };
    }
    case 'tokens_without_owner':
      return {
        sql: `SELECT t.id AS key, t.id AS subject, 'no owner service' AS detail,
                 jsonb_build_object('name', t.name, 'status', t.status, 'createdBy', t.created_by, 'createdVia', t.created_via) AS data
            FROM tokens t
           WHERE t.status IN ${LIVE_TOKEN_STATUSES_SQL} AND t.owner_service_id IS NULL`,
        params: [],
      };
    case 'unaccountable_revocations':
      return {
        sql: `SELECT t.id AS key, t.id AS subject,
                 concat_ws(' and ', CASE WHEN coalesce(trim(t.revoked_reason), '') = '' THEN 'no reason' END,
                                    CASE WHEN t.revoked_by IS NULL THEN 'no actor' END) AS detail,
                 jsonb_build_object('name', t.name, 'revokedAt', t.revoked_at, 'revokedBy', t.revoked_by, 'revokedReason', t.revoked_reason) AS data
            FROM tokens t
           WHERE t.revoked_at >= $1 AND t.revoked_at < $2
             AND (coalesce(trim(t.revoked_reason), '') = '' OR t.revoked_by IS NULL)`,
        params: [set.from, set.to],
      };
    case 'unconsented_tokens':
      return {
        sql: `SELECT t.id AS key, t.id AS subject,
                 'carries ' || array_to_string(t.data_categories, ', ') || ' without a consent' AS detail,
                 jsonb_build_object('name', t.name, 'status', t.status, 'dataCategories', array_to_string(t.data_categories, ' ')) AS data
            FROM tokens t
           WHERE t.status IN ${LIVE_TOKEN_STATUSES_SQL} AND t.consent_id IS NULL AND t.data_categories && $1::text[]`,
        params: [set.categories],
      };
    case 'consent_withdrawals':
      // The withdrawal and the revocations it causes are written in one transaction and share its
      // request id (docs/consents.md): the latency is measured between those audit events.
      return {
        sql: `WITH w AS (
          SELECT e.target_id AS consent_id, e.occurred_at, e.request_id
            FROM audit_events e
           WHERE e.action = 'consent.withdrawn' AND e.occurred_at >= $1 AND e.occurred_at < $2
        ), r AS (
          SELECT w.consent_id, count(x.id)::int AS revoked,
                 coalesce(max(extract(epoch FROM x.occurred_at - w.occurred_at) * 1000), 0)::bigint AS max_ms
            FROM w LEFT JOIN audit_events x
              ON x.action = 'token.revoked' AND w.request_id IS NOT NULL AND x.request_id = w.request_id
             AND x.occurred_at >= w.occurred_at
           GROUP BY w.consent_id
        )
        SELECT w.consent_id AS key, w.consent_id AS subject,
               r.revoked || ' tokens revoked within ' || r.max_ms || ' ms'
                 || CASE WHEN l.live > 0 THEN '; ' || l.live || ' still live' ELSE '' END AS detail,
               jsonb_build_object('withdrawnAt', w.occurred_at, 'requestId', w.request_id, 'revokedTokens', r.revoked,
                                  'maxLatencyMs', r.max_ms, 'stillLiveTokens', l.live) AS data
          FROM w JOIN r ON r.consent_id = w.consent_id
          CROSS JOIN LATERAL (SELECT count(*)::int AS live FROM tokens t
                               WHERE t.consent_id = w.consent_id AND t.status IN ${LIVE_TOKEN_STATUSES_SQL}) l`,
        params: [set.from, set.to],
      };
    case 'failed_logins':
      return {
        sql: `SELECT lpad(e.id::text, 20, '0') AS key, coalesce(e.target_id, 'unknown account') AS subject,
               CASE WHEN e.action = '${LOCKED_OUT_ACTION}' THEN 'locked out until ' || coalesce(e.data->>'until', '?')
                    ELSE 'failed log-in (' || coalesce(e.data->>'reason', 'unknown') || ')' END AS detail,
               jsonb_build_object('action', e.action, 'at', e.occurred_at, 'seq', e.seq, 'ip', coalesce(e.data->>'ipNetwork', e.data->>'ip'),
                                  'reason', e.data->>'reason') AS data
          FROM audit_events e
         WHERE e.action IN ('${LOGIN_FAILED_ACTION}', '${LOCKED_OUT_ACTION}') AND e.occurred_at >= $1 AND e.occurred_at < $2`,
        params: [set.from, set.to],
      };
    case 'alert_answers':
      return {
        sql: `SELECT a.id AS key, coalesce(a.token_id, a.subject) AS subject,
                 a.rule || ' (' || a.severity || '): ' ||
                   CASE WHEN ${ALERT_ANSWERED_AT_SQL} IS NULL THEN 'unanswered for ' || floor(extract(epoch FROM $3::timestamptz - a.created_at) / 60)::int || ' min'
                        ELSE 'answered after ' || floor(extract(epoch FROM ${ALERT_ANSWERED_AT_SQL} - a.created_at) / 60)::int || ' min' END AS detail,
                 jsonb_build_object('rule', a.rule, 'severity', a.severity, 'status', a.status, 'raisedAt', a.created_at,
                   'answeredAt', ${ALERT_ANSWERED_AT_SQL}, 'ackWithinMinutes', $4::int,
                   'late', coalesce(${ALERT_ANSWERED_AT_SQL}, $3::timestamptz) > a.created_at + make_interval(mins => $4::int)) AS data
            FROM alerts a
           WHERE a.created_at >= $1 AND a.created_at < $2`,
        params: [set.from, set.to, set.now, set.ackWithinMinutes],
      };
    case 'leak_reports':
      return {
        sql: `SELECT lpad(e.id::text, 20, '0') AS key, e.target_id AS subject,
                 coalesce(e.data->>'via', '?') || ' report: ' ||
                   CASE WHEN t.status IN ${LIVE_TOKEN_STATUSES_SQL} THEN 'token still live'
                        WHEN t.revoked_at >= e.occurred_at - interval '1 second'
                          THEN 'revoked after ' || greatest(0, round(extract(epoch FROM t.revoked_at - e.occurred_at) * 1000))::bigint || ' ms'
                        ELSE 'already ' || coalesce(e.data->>'status', t.status) END AS detail,
                 jsonb_build_object('via', e.data->>'via', 'url', e.data->>'url', 'reportedAt', e.occurred_at, 'tokenStatus', t.status,
                   'revokedAt', t.revoked_at, 'statusAtReport', e.data->>'status',
                   'latencyMs', CASE WHEN t.revoked_at >= e.occurred_at - interval '1 second'
                                     THEN greatest(0, round(extract(epoch FROM t.revoked_at - e.occurred_at) * 1000))::bigint END) AS data
            FROM audit_events e LEFT JOIN tokens t ON t.id = e.target_id
           WHERE e.action = 'token.leak_reported' AND e.occurred_at >= $1 AND e.occurred_at < $2`,
        params: [set.from, set.to],
      };
    case 'alert_remediations':
      return {
        sql: `SELECT a.id AS key, coalesce(a.token_id, a.subject) AS subject,
                 a.rule || ': ' || CASE WHEN a.remediation->>'action' = 'none' THEN 'nothing done (' || coalesce(a.remediation->>'skipped', 'none') || ')'
                                        ELSE (a.remediation->>'action') || ' at ' || (a.remediation->>'at') END AS detail,
                 jsonb_build_object('rule', a.rule, 'severity', a.severity, 'raisedAt', a.created_at, 'action', a.remediation->>'action',
                   'skipped', a.remediation->>'skipped', 'at', a.remediation->>'at') AS data
            FROM alerts a
           WHERE a.remediation IS NOT NULL AND a.created_at >= $1 AND a.created_at < $2`,
        params: [set.from, set.to],
      };
    case 'access_reviews':
      return {
        sql: `SELECT c.id AS key, c.id AS subject,
                 c.name || ': ' || n.total || ' items, ' || n.decided || ' decided, ' || n.overdue || ' overdue, ' || n.pending || ' undecided; due '
                   || to_char(c.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') || CASE WHEN c.closed_at IS NULL THEN ', still open'
                        ELSE ', closed ' || to_char(c.closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') END AS detail,
                 jsonb_build_object('name', c.name, 'openedAt', c.created_at, 'dueAt', c.due_at, 'closedAt', c.closed_at,
                   'scheduled', c.scheduled_for IS NOT NULL, 'items', n.total, 'decided', n.decided, 'overdue', n.overdue, 'undecided', n.pending,
                   'onTime', NOT ${ACCESS_REVIEW_LATE_SQL}) AS data
            FROM ${ACCESS_REVIEWS_IN_PERIOD_SQL}`,
        params: [set.from, set.to, set.now],
      };
    case 'privileged_accounts':
      return {
        sql: `SELECT u.id AS key, u.id AS subject,
               u.role || ', ' || CASE WHEN u.last_login_at IS NULL THEN 'never logged in'
                                      ELSE 'last log-in ' || to_char(u.last_login_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') END AS detail,
               jsonb_build_object('email', u.email, 'role', u.role, 'createdAt', u.created_at, 'lastLoginAt', u.last_login_at,
                 'dormant', coalesce(u.last_login_at, u.created_at) < $1::timestamptz - make_interval(days => ${wholeNumber(set.dormantDays)})) AS data
          FROM users u
         WHERE u.role IN ('owner', 'admin')`,
        params: [set.now],
      };
  }
}
