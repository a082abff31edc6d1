import type { AlertRule, AlertSeverity, AlertStatus } from '@custos/contracts';
import type { AlertEvidenceEvent, AlertRecord, AlertRemediationRecord } from '@custos/persistence';

/** Who changed an alert's status, when, and what they said. */
export interface AlertStatusChange {
  at: string;
  /** A user or service key id. */
  by: string | null;
  comment: string | null;
}

/** An alert as the API shows it (docs/alerts.md). */
export interface AlertView {
  id: string;
  rule: AlertRule;
  severity: AlertSeverity;
  status: AlertStatus;
  /** What the alert is about: `token:<id>`, or for brute force `caller:<service key id>` or `network:<cidr>`. */
  subject: string;
  tokenId: string | null;
  serviceId: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  /** Uses (or reports) counted into it, the first and every repeat. */
  count: number;
  /** The events that raised or repeated it, newest kept; networks only. */
  evidence: AlertEvidenceEvent[];
  /** What the rule saw: its threshold and window, and the figures that passed them. */
  details: Record<string, unknown>;
  /** What was done to the token; null when the rule does nothing to it. */
  remediation: AlertRemediationRecord | null;
  acknowledged: AlertStatusChange | null;
  resolved: AlertStatusChange | null;
  createdAt: string;
}

export function alertView(a: AlertRecord): AlertView {
  return {
    id: a.id,
    rule: a.rule,
    severity: a.severity,
    status: a.status,
    subject: a.subject,
    tokenId: a.tokenId,
    serviceId: a.serviceId,
    firstSeenAt: a.firstSeenAt.toISOString(),
    lastSeenAt: a.lastSeenAt.toISOString(),
    count: a.count,
    evidence: a.evidence,
    details: a.details,
    remediation: a.remediation,
    acknowledged: a.acknowledgedAt ? { at: a.acknowledgedAt.toISOString(), by: a.acknowledgedBy, comment: a.acknowledgedComment } : null,
    resolved: a.resolvedAt ? { at: a.resolvedAt.toISOString(), by: a.resolvedBy, comment: a.resolvedComment } : null,
    createdAt: a.createdAt.toISOString(),
  };
}
