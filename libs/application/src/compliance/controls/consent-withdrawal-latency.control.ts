import { countEvidence, evidencePage, LIVE_TOKEN_STATUSES_SQL, type ComplianceControl, type ControlContext } from './control';
import { plural } from './findings-control';

/** A withdrawal slower than this (from the consent.withdrawn event to its last token.revoked) warns. */
export const WITHDRAWAL_LATENCY_WARN_MS = 60_000;

/**
 * The withdrawal and the revocations it causes are written in one transaction and share its request
 * id (docs/consents.md): the latency is measured between those audit events. A token still live under
 * a withdrawn consent fails the control whatever the latencies.
 */
const withdrawals = (ctx: ControlContext) => ({
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
  params: [ctx.from, ctx.to],
});

export const consentWithdrawalLatencyControl: ComplianceControl = {
  id: 'consent-withdrawal-latency',
  title: 'Tokens are revoked as soon as their consent is withdrawn',
  description: `For every consent withdrawn in the period: the time from its consent.withdrawn audit event to the token.revoked events of the same request (max and 95th percentile over all tokens revoked). A token still live under a withdrawn consent fails the control; a latency above ${WITHDRAWAL_LATENCY_WARN_MS / 1000} s warns.`,
  mappings: {
    soc2: ['CC6.2'],
    gdpr: ['Art. 7(3)'],
  },
  async assess(tx, ctx) {
    const query = withdrawals(ctx);
    const count = await countEvidence(tx, query.sql, query.params);
    const stats = await tx.one<{ max_ms: number | null; p95_ms: number | null; revoked: number; live: number }>(
      `WITH w AS (
         SELECT target_id AS consent_id, occurred_at, request_id FROM audit_events
          WHERE action = 'consent.withdrawn' AND occurred_at >= $1 AND occurred_at < $2
       ), lat AS (
         SELECT extract(epoch FROM x.occurred_at - w.occurred_at) * 1000 AS ms
           FROM w JOIN audit_events x ON x.action = 'token.revoked' AND x.request_id = w.request_id AND x.occurred_at >= w.occurred_at
       )
       SELECT (SELECT round(max(ms))::float8 FROM lat) AS max_ms,
              (SELECT round(percentile_cont(0.95) WITHIN GROUP (ORDER BY ms))::float8 FROM lat) AS p95_ms,
              (SELECT count(*)::int FROM lat) AS revoked,
              (SELECT count(*)::int FROM tokens t JOIN w ON t.consent_id = w.consent_id WHERE t.status IN ${LIVE_TOKEN_STATUSES_SQL}) AS live`,
      [ctx.from, ctx.to],
    );
    const maxMs = stats?.max_ms ?? null;
    const live = stats?.live ?? 0;
    const status = live > 0 ? 'fail' : maxMs !== null && maxMs > WITHDRAWAL_LATENCY_WARN_MS ? 'warn' : 'pass';
    const summary =
      count === 0
        ? 'No consent was withdrawn in the period.'
        : `${plural(count, 'withdrawal')}, ${plural(stats?.revoked ?? 0, 'token')} revoked; max ${maxMs ?? 0} ms, p95 ${stats?.p95_ms ?? 0} ms` +
          (live > 0 ? `; ${plural(live, 'token')} still live under a withdrawn consent.` : '.');
    return {
      status,
      summary,
      evidenceCount: count,
      metrics: { withdrawals: count, revokedTokens: stats?.revoked ?? 0, maxLatencyMs: maxMs, p95LatencyMs: stats?.p95_ms ?? null, stillLiveTokens: live },
    };
  },
  evidence(tx, ctx, after, limit) {
    const query = withdrawals(ctx);
    return evidencePage(tx, query.sql, query.params, after, limit);
  },
};
