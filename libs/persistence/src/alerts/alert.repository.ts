import { Injectable } from '@nestjs/common';
import type { AlertRule, AlertSeverity, AlertStatus } from '@custos/contracts';
import type { Tx } from '../database/database';

/** One use of a token shown as evidence: its network, never its address. */
export interface AlertEvidenceEvent {
  at: string;
  outcome: string;
  ipPrefix: string | null;
  country: string | null;
  resource: string | null;
  transport: string;
  callerId: string | null;
}

/** What was done to the token when the alert was raised. */
export interface AlertRemediationRecord {
  action: 'none' | 'suspend' | 'revoke';
  /** Why nothing was done although the rule asks for it. */
  skipped?: string | undefined;
  at?: string | undefined;
}

export interface AlertRecord {
  id: string;
  rule: AlertRule;
  severity: AlertSeverity;
  subject: string;
  tokenId: string | null;
  serviceId: string | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  count: number;
  evidence: AlertEvidenceEvent[];
  details: Record<string, unknown>;
  remediation: AlertRemediationRecord | null;
  status: AlertStatus;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  acknowledgedComment: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  resolvedComment: string | null;
  createdAt: Date;
}

/** A rule's finding, as the evaluator or the leak intake hands it over: an alert before its status and remediation. */
export type AlertFinding = Pick<
  AlertRecord,
  'id' | 'rule' | 'severity' | 'subject' | 'tokenId' | 'serviceId' | 'firstSeenAt' | 'lastSeenAt' | 'count' | 'evidence' | 'details'
>;

export interface AlertFilter {
  status?: AlertStatus | undefined;
  severity?: AlertSeverity | undefined;
  rule?: AlertRule | undefined;
  tokenId?: string | undefined;
  /** Last seen at or after. */
  from?: Date | undefined;
  /** First seen before. */
  to?: Date | undefined;
}

interface AlertRow {
  id: string;
  rule: AlertRule;
  severity: AlertSeverity;
  subject: string;
  token_id: string | null;
  service_id: string | null;
  first_seen_at: Date;
  last_seen_at: Date;
  count: string;
  evidence: AlertEvidenceEvent[];
  details: Record<string, unknown>;
  remediation: AlertRemediationRecord | null;
  status: AlertStatus;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  acknowledged_comment: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolved_comment: string | null;
  created_at: Date;
}

const COLUMNS = `id, rule, severity, subject, token_id, service_id, first_seen_at, last_seen_at, count, evidence, details, remediation,
  status, acknowledged_at, acknowledged_by, acknowledged_comment, resolved_at, resolved_by, resolved_comment, created_at`;

/** Evidence an alert keeps: the newest events that raised or repeated it, oldest first, this many at most. */
export const ALERT_EVIDENCE_MAX = 20;

/** alerts: at most one unresolved per rule and subject (alerts_one_unresolved). */
@Injectable()
export class AlertRepository {
  /**
   * Raises the finding as a new alert, or, when one of its rule and subject is still unresolved, adds
   * it to that one (count, last seen, the newest evidence up to ALERT_EVIDENCE_MAX, details replaced).
   * `raised` tells which: only a raised alert is audited, announced and remediated.
   */
  async raiseOrRepeat(tx: Tx, f: AlertFinding): Promise<{ alert: AlertRecord; raised: boolean }> {
    const row = await tx.one<AlertRow & { raised: boolean }>(
      `INSERT INTO alerts AS a (tenant_id, id, rule, severity, subject, token_id, service_id, first_seen_at, last_seen_at, count, evidence, details)
       VALUES (current_setting('app.tenant_id'), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb)
       ON CONFLICT (tenant_id, rule, subject) WHERE status <> 'resolved' DO UPDATE
         SET count = a.count + excluded.count,
             last_seen_at = greatest(a.last_seen_at, excluded.last_seen_at),
             evidence = (SELECT coalesce(jsonb_agg(e ORDER BY n), '[]'::jsonb) FROM (
                           SELECT e, n FROM jsonb_array_elements(a.evidence || excluded.evidence) WITH ORDINALITY AS x(e, n)
                            ORDER BY n DESC LIMIT ${ALERT_EVIDENCE_MAX}) kept),
             details = excluded.details
       RETURNING ${COLUMNS}, (xmax = 0) AS raised`,
      [f.id, f.rule, f.severity, f.subject, f.tokenId, f.serviceId, f.firstSeenAt, f.lastSeenAt, f.count, JSON.stringify(f.evidence.slice(0, ALERT_EVIDENCE_MAX)), JSON.stringify(f.details)],
    );
    if (!row) throw new Error('the alert upsert returned no row');
    return { alert: toRecord(row), raised: row.raised };
  }

  async setRemediation(tx: Tx, id: string, remediation: AlertRemediationRecord): Promise<void> {
    await tx.rows(`UPDATE alerts SET remediation = $2::jsonb WHERE id = $1`, [id, JSON.stringify(remediation)]);
  }

  async findById(tx: Tx, id: string): Promise<AlertRecord | undefined> {
    const row = await tx.one<AlertRow>(`SELECT ${COLUMNS} FROM alerts WHERE id = $1`, [id]);
    return row ? toRecord(row) : undefined;
  }

  async lockById(tx: Tx, id: string): Promise<AlertRecord | undefined> {
    const row = await tx.one<AlertRow>(`SELECT ${COLUMNS} FROM alerts WHERE id = $1 FOR UPDATE`, [id]);
    return row ? toRecord(row) : undefined;
  }

  async acknowledge(tx: Tx, id: string, by: string | null, comment: string | null, at: Date): Promise<void> {
    await tx.rows(
      `UPDATE alerts SET status = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3, acknowledged_comment = $4 WHERE id = $1`,
      [id, at, by, comment],
    );
  }

  async resolve(tx: Tx, id: string, by: string | null, comment: string | null, at: Date): Promise<void> {
    await tx.rows(`UPDATE alerts SET status = 'resolved', resolved_at = $2, resolved_by = $3, resolved_comment = $4 WHERE id = $1`, [id, at, by, comment]);
  }

  /** Newest first (ids sort by creation), after the id `after` when given: up to `limit` alerts. */
  async list(tx: Tx, filter: AlertFilter, after: string | null, limit: number): Promise<AlertRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.status) add('status = ?', filter.status);
    if (filter.severity) add('severity = ?', filter.severity);
    if (filter.rule) add('rule = ?', filter.rule);
    if (filter.tokenId) add('token_id = ?', filter.tokenId);
    if (filter.from) add('last_seen_at >= ?', filter.from);
    if (filter.to) add('first_seen_at < ?', filter.to);
    if (after) add('id < ?', after);
    params.push(limit);
    const rows = await tx.rows<AlertRow>(
      `SELECT ${COLUMNS} FROM alerts ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toRecord);
  }

  /** Unresolved alerts by status and severity, for the overview. */
  async unresolvedCounts(tx: Tx): Promise<{ status: AlertStatus; severity: AlertSeverity; count: number }[]> {
    const rows = await tx.rows<{ status: AlertStatus; severity: AlertSeverity; n: string }>(
      `SELECT status, severity, count(*) AS n FROM alerts WHERE status <> 'resolved' GROUP BY 1, 2`,
    );
    return rows.map((r) => ({ status: r.status, severity: r.severity, count: Number(r.n) }));
  }
}

function toRecord(r: AlertRow): AlertRecord {
  return {
    id: r.id,
    rule: r.rule,
    severity: r.severity,
    subject: r.subject,
    tokenId: r.token_id,
    serviceId: r.service_id,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
    count: Number(r.count),
    evidence: r.evidence,
    details: r.details,
    remediation: r.remediation,
    status: r.status,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedComment: r.acknowledged_comment,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
    resolvedComment: r.resolved_comment,
    createdAt: r.created_at,
  };
}
