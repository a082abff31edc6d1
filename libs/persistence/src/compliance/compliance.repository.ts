import { Injectable } from '@nestjs/common';
import type { GeoMode } from '@custos/contracts';
import { DEFAULT_GEO_POLICY, type CustomRegionGroup, type GeoPolicyRule, type TokenGeoFacts, type UnknownLocationRule } from '@custos/domain';
import { AuditEventRepository } from '../audit/audit-event.repository';
import type { SealedAuditEvent } from '../audit/audit-event-rows';
import type { Tx } from '../database/database';
import { limitOf } from '../database/sql-limit';
import {
  UsageQueryRepository,
  type CrossBorderPosition,
  type CrossBorderTotals,
  type CrossBorderTransfer,
  type UsagePeriod,
} from '../usage/usage-query.repository';
import type { EvidenceRow, EvidenceSet, PolicyFacts, ScopeBreadthRule } from './evidence';
import { ACCESS_REVIEW_LATE_SQL, ACCESS_REVIEWS_IN_PERIOD_SQL, ALERT_ANSWERED_AT_SQL, LIVE_TOKEN_STATUSES_SQL, LOCKED_OUT_ACTION, LOGIN_FAILED_ACTION, WILDCARD_SCOPE_SQL, evidenceQuery } from './evidence-queries';

/** The sequence range of a period's audit events, and how many of them are not sealed yet. */
export interface AuditPeriodRange {
  firstSeq: number | null;
  lastSeq: number | null;
  unsealed: number;
}

/** A live token with what the geofence controls judge: the data it reaches and its geofence. */
export interface GeoFencedToken extends TokenGeoFacts {
  id: string;
  name: string;
  status: string;
}

/**
 * SQL of the compliance controls (docs/compliance.md): each control's evidence set, counted and read in
 * keyset pages, the figures its verdict is made of, and the tenant's policy they are held against. The
 * verdicts themselves (thresholds, pass/warn/fail) are the controls' in libs/application. Every method
 * runs in the caller's tenant transaction; row-level security keeps a control inside its tenant.
 */
@Injectable()
export class ComplianceRepository {
  constructor(
    private readonly auditEvents: AuditEventRepository = new AuditEventRepository(),
    private readonly usage: UsageQueryRepository = new UsageQueryRepository(),
  ) {}

  async policyFacts(tx: Tx): Promise<PolicyFacts> {
    const row = await tx.one<{
      max_lifetime_seconds: number;
      default_rotation_interval_seconds: number | null;
      disable_unused_after_days: number;
      require_consent_for: string[];
      geo_default_mode: GeoMode;
      geo_default_residency_region: string | null;
      geo_unknown_location: UnknownLocationRule;
      geo_rules: GeoPolicyRule[];
      region_groups: CustomRegionGroup[];
      alert_ack_within_minutes: number;
    }>(
      `SELECT max_lifetime_seconds, default_rotation_interval_seconds, disable_unused_after_days, require_consent_for,
              geo_default_mode, geo_default_residency_region, geo_unknown_location, geo_rules, region_groups, alert_ack_within_minutes
         FROM tenant_policies`,
    );
    // A tenant without a policy row has the column defaults (see the core schema migration).
    return {
      maxLifetimeSeconds: row?.max_lifetime_seconds ?? 7_776_000,
      defaultRotationIntervalSeconds: row?.default_rotation_interval_seconds ?? null,
      disableUnusedAfterDays: row?.disable_unused_after_days ?? 90,
      requireConsentFor: row?.require_consent_for ?? ['personal', 'health'],
      geo: row
        ? {
            defaultMode: row.geo_default_mode,
            defaultResidencyRegion: row.geo_default_residency_region,
            unknownLocation: row.geo_unknown_location,
            rules: row.geo_rules,
            regionGroups: row.region_groups,
          }
        : DEFAULT_GEO_POLICY,
      alertAckWithinMinutes: row?.alert_ack_within_minutes ?? 60,
    };
  }

  /** How many rows the evidence set has. */
  async countEvidence(tx: Tx, set: EvidenceSet): Promise<number> {
    const { sql, params } = evidenceQuery(set);
    const row = await tx.one<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) e`, [...params]);
    return row?.n ?? 0;
  }

  /** The evidence set's rows with key > `after` (all when null), in key order, at most `limit`. */
  async evidencePage(tx: Tx, set: EvidenceSet, after: string | null, limit: number): Promise<EvidenceRow[]> {
    const { sql, params } = evidenceQuery(set);
    const n = params.length;
    return tx.rows<EvidenceRow>(
      `SELECT e.key, e.subject, e.detail, e.data FROM (${sql}) e
      WHERE $${n + 1}::text IS NULL OR e.key > $${n + 1}::text
      ORDER BY e.key LIMIT $${n + 2}`,
      [...params, after, limit],
    );
  }

  /** Live tokens reaching any of `categories`, by id after `after` (from the first when null), at most `limit`. */
  async liveTokensReaching(tx: Tx, categories: readonly string[], after: string | null, limit: number): Promise<GeoFencedToken[]> {
    const rows = await tx.rows<{
      id: string;
      name: string;
      status: string;
      data_categories: string[];
      geo_mode: GeoMode;
      residency_region: string | null;
      allowed_regions: string[];
      allowed_countries: string[];
    }>(
      `SELECT t.id, t.name, t.status, t.data_categories, t.geo_mode, t.residency_region, t.allowed_regions, t.allowed_countries
         FROM tokens t
        WHERE t.status IN ${LIVE_TOKEN_STATUSES_SQL} AND t.data_categories && $1::text[] AND ($2::text IS NULL OR t.id > $2::text)
        ORDER BY t.id LIMIT ${limitOf(limit)}`,
      [categories, after],
    );
    return rows.map((t) => ({
      id: t.id,
      name: t.name,
      status: t.status,
      dataCategories: t.data_categories,
      geofence: { mode: t.geo_mode, residencyRegion: t.residency_region, allowedRegions: t.allowed_regions, allowedCountries: t.allowed_countries },
    }));
  }

  /** The period's cross-border uses per token and country: the usage feature's read (GET /v1/cross-border), in the same transaction. */
  crossBorderTransfers(tx: Tx, period: UsagePeriod, after: CrossBorderPosition | null, limit: number): Promise<CrossBorderTransfer[]> {
    return this.usage.crossBorderTransfers(tx, period, after, limit);
  }

  /** How much crossed a border in the period (the usage feature's read). */
  crossBorderTotals(tx: Tx, period: UsagePeriod): Promise<CrossBorderTotals> {
    return this.usage.crossBorderTotals(tx, period);
  }

  /** Active and suspended tokens past their rotation interval (overdue), and those without one (unchecked). */
  async rotationBacklog(tx: Tx, defaultRotationSeconds: number | null, now: Date): Promise<{ overdue: number; unchecked: number }> {
    const row = await tx.one<{ overdue: number; unchecked: number }>(
      `SELECT count(*) FILTER (WHERE coalesce(rotation_interval_seconds, $1::int) IS NOT NULL)::int AS overdue,
              count(*) FILTER (WHERE coalesce(rotation_interval_seconds, $1::int) IS NULL)::int AS unchecked
         FROM tokens
        WHERE status IN ('active', 'suspended')
          AND (coalesce(rotation_interval_seconds, $1::int) IS NULL
               OR created_at + make_interval(secs => coalesce(rotation_interval_seconds, $1::int)) < $2::timestamptz)`,
      [defaultRotationSeconds, now],
    );
    return { overdue: row?.overdue ?? 0, unchecked: row?.unchecked ?? 0 };
  }

  /** Tokens revoked within the period. */
  async revocationCount(tx: Tx, from: Date, to: Date): Promise<number> {
    const row = await tx.one<{ n: number }>(`SELECT count(*)::int AS n FROM tokens WHERE revoked_at >= $1 AND revoked_at < $2`, [from, to]);
    return row?.n ?? 0;
  }

  /** Live tokens holding a wildcard-like scope. */
  async wildcardTokenCount(tx: Tx, rule: ScopeBreadthRule): Promise<number> {
    const row = await tx.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM tokens t WHERE t.status IN ${LIVE_TOKEN_STATUSES_SQL} AND ${WILDCARD_SCOPE_SQL('t.scopes', rule)}`,
    );
    return row?.n ?? 0;
  }

  /**
   * Over the consents withdrawn within the period: the latencies from each consent.withdrawn event to
   * the token.revoked events of its request (max and 95th percentile, rounded ms; null when none), how
   * many such revocations, and how many tokens are still live under those consents.
   */
  async withdrawalLatency(tx: Tx, from: Date, to: Date): Promise<{ maxMs: number | null; p95Ms: number | null; revoked: number; live: number }> {
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
      [from, to],
    );
    return { maxMs: stats?.max_ms ?? null, p95Ms: stats?.p95_ms ?? null, revoked: stats?.revoked ?? 0, live: stats?.live ?? 0 };
  }

  /** Alerts raised within the period: answered within the SLA, answered late, and still unanswered past it. */
  async alertAnswers(tx: Tx, from: Date, to: Date, now: Date, ackWithinMinutes: number): Promise<{ raised: number; inTime: number; late: number; overdue: number }> {
    const row = await tx.one<{ raised: number; in_time: number; late: number; overdue: number }>(
      `SELECT count(*)::int AS raised,
              count(*) FILTER (WHERE ${ALERT_ANSWERED_AT_SQL} <= a.created_at + make_interval(mins => $4::int))::int AS in_time,
              count(*) FILTER (WHERE ${ALERT_ANSWERED_AT_SQL} > a.created_at + make_interval(mins => $4::int))::int AS late,
              count(*) FILTER (WHERE ${ALERT_ANSWERED_AT_SQL} IS NULL AND $3::timestamptz > a.created_at + make_interval(mins => $4::int))::int AS overdue
         FROM alerts a WHERE a.created_at >= $1 AND a.created_at < $2`,
      [from, to, now, ackWithinMinutes],
    );
    return { raised: row?.raised ?? 0, inTime: row?.in_time ?? 0, late: row?.late ?? 0, overdue: row?.overdue ?? 0 };
  }

  /** Access review campaigns due in the period (or open past due): how many, and how many were not completed on time. */
  async accessReviewStats(tx: Tx, from: Date, to: Date, now: Date): Promise<{ campaigns: number; late: number; overdueItems: number; items: number }> {
    const row = await tx.one<{ campaigns: number; late: number; overdue_items: number; items: number }>(
      `SELECT count(*)::int AS campaigns,
              count(*) FILTER (WHERE ${ACCESS_REVIEW_LATE_SQL})::int AS late,
              coalesce(sum(n.overdue), 0)::int AS overdue_items, coalesce(sum(n.total), 0)::int AS items
         FROM ${ACCESS_REVIEWS_IN_PERIOD_SQL}`,
      [from, to, now],
    );
    return { campaigns: row?.campaigns ?? 0, late: row?.late ?? 0, overdueItems: row?.overdue_items ?? 0, items: row?.items ?? 0 };
  }

  /** Leak reports within the period: tokens still live, and revocations slower than `slowMs` after their report. */
  async leakRevocations(tx: Tx, from: Date, to: Date, slowMs: number): Promise<{ reports: number; live: number; slow: number; maxMs: number | null }> {
    const row = await tx.one<{ reports: number; live: number; slow: number; max_ms: number | null }>(
      `WITH r AS (
         SELECT t.status, CASE WHEN t.revoked_at >= e.occurred_at - interval '1 second'
                               THEN greatest(0, extract(epoch FROM t.revoked_at - e.occurred_at) * 1000) END AS ms
           FROM audit_events e LEFT JOIN tokens t ON t.id = e.target_id
          WHERE e.action = 'token.leak_reported' AND e.occurred_at >= $1 AND e.occurred_at < $2
       )
       SELECT count(*)::int AS reports, count(*) FILTER (WHERE status IN ${LIVE_TOKEN_STATUSES_SQL})::int AS live,
              count(*) FILTER (WHERE ms > $3)::int AS slow, round(max(ms))::float8 AS max_ms FROM r`,
      [from, to, slowMs],
    );
    return { reports: row?.reports ?? 0, live: row?.live ?? 0, slow: row?.slow ?? 0, maxMs: row?.max_ms ?? null };
  }

  /** Alerts raised within the period whose rule asked for remediation: how many were remediated, how many left alone. */
  async alertRemediationCounts(tx: Tx, from: Date, to: Date): Promise<{ total: number; undone: number }> {
    const row = await tx.one<{ total: number; undone: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE remediation->>'action' = 'none')::int AS undone
         FROM alerts WHERE remediation IS NOT NULL AND created_at >= $1 AND created_at < $2`,
      [from, to],
    );
    return { total: row?.total ?? 0, undone: row?.undone ?? 0 };
  }

  /** Failed log-ins and lockouts within the period. */
  async loginFailureCounts(tx: Tx, from: Date, to: Date): Promise<{ failed: number; locked: number }> {
    const row = await tx.one<{ failed: number; locked: number }>(
      `SELECT count(*) FILTER (WHERE action = '${LOGIN_FAILED_ACTION}')::int AS failed,
              count(*) FILTER (WHERE action = '${LOCKED_OUT_ACTION}')::int AS locked
         FROM audit_events WHERE action IN ('${LOGIN_FAILED_ACTION}', '${LOCKED_OUT_ACTION}') AND occurred_at >= $1 AND occurred_at < $2`,
      [from, to],
    );
    return { failed: row?.failed ?? 0, locked: row?.locked ?? 0 };
  }

  /** Owners and admins without a log-in (or, never logged in, since creation) for `dormantDays` before `now`. */
  async dormantPrivilegedCount(tx: Tx, now: Date, dormantDays: number): Promise<number> {
    if (!Number.isSafeInteger(dormantDays) || dormantDays < 0) throw new Error(`not a whole number of days: ${dormantDays}`);
    const dormant = await tx.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM users WHERE role IN ('owner', 'admin')
          AND coalesce(last_login_at, created_at) < $1::timestamptz - make_interval(days => ${dormantDays})`,
      [now],
    );
    return dormant?.n ?? 0;
  }

  /** The sequence range of the audit events that occurred within the period, and how many are unsealed. */
  async auditPeriod(tx: Tx, from: Date, to: Date): Promise<AuditPeriodRange> {
    const range = await tx.one<{ first: string | null; last: string | null; unsealed: number }>(
      `SELECT min(seq) AS first, max(seq) AS last, count(*) FILTER (WHERE seq IS NULL)::int AS unsealed
       FROM audit_events WHERE occurred_at >= $1 AND occurred_at < $2`,
      [from, to],
    );
    return {
      firstSeq: range?.first ? Number(range.first) : null,
      lastSeq: range?.last ? Number(range.last) : null,
      unsealed: range?.unsealed ?? 0,
    };
  }

  /** The hash of the sealed event at `seq`; undefined when there is none. */
  async auditHashAt(tx: Tx, seq: number): Promise<string | undefined> {
    return (await tx.one<{ hash: string }>(`SELECT hash FROM audit_events WHERE seq = $1`, [seq]))?.hash;
  }

  /** Sealed events after `afterSeq` and up to `lastSeq`, in seq order, at most `limit`: the audit feature's read, mapped as the sealer hashes them. */
  sealedEventsBetween(tx: Tx, afterSeq: number, lastSeq: number, limit: number): Promise<SealedAuditEvent[]> {
    return this.auditEvents.sealedBetween(tx, afterSeq, lastSeq, limit);
  }
}
