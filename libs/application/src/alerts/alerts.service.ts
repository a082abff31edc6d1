import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, type AlertStatus } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import { AlertRepository, Database, type AlertFilter, type AlertRecord, type Tx } from '@custos/persistence';
import { AuditLog, actorOf } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { decodeCursor, encodeCursor, type Page } from '../shared/keyset-cursor';
import { requireScope } from '../shared/require-scope';
import { alertView, type AlertView } from './alert-view';

export type AlertReads = Pick<AlertRepository, 'list' | 'findById' | 'lockById' | 'acknowledge' | 'resolve'>;

export interface AlertListFilter extends AlertFilter {
  limit: number;
  cursor?: string | undefined;
}

type Cursor = { i: string };
const isCursor = (v: Record<string, unknown>): v is Cursor => typeof v.i === 'string';

/** The alerts inbox: reading alerts, and moving them open → acknowledged → resolved, each move audited. */
@Injectable()
export class AlertsService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    @Inject(AlertRepository) private readonly alerts: AlertReads,
  ) {}

  /** Newest first; keyset pages over the id (ids sort by creation). */
  async list(principal: Principal, filter: AlertListFilter): Promise<Page<AlertView>> {
    requireScope(principal, 'custos:alerts:read');
    const after = decodeCursor(filter.cursor, isCursor)?.i ?? null;
    return this.db.tenant(principal.tenantId, async (tx) => {
      const rows = await this.alerts.list(tx, filter, after, filter.limit + 1);
      const items = rows.slice(0, filter.limit);
      const last = items[items.length - 1];
      return { items: items.map(alertView), nextCursor: rows.length > filter.limit && last ? encodeCursor({ i: last.id }) : null };
    });
  }

  async get(principal: Principal, id: string): Promise<AlertView> {
    requireScope(principal, 'custos:alerts:read');
    return this.db.tenant(principal.tenantId, async (tx) => alertView(requireAlert(await this.alerts.findById(tx, id))));
  }

  /** Someone is on it. Acknowledging again, or a resolved alert, is refused (409): the first answer stands. */
  acknowledge(principal: Principal, id: string, comment: string | null, meta: RequestMeta): Promise<AlertView> {
    return this.move(principal, id, 'acknowledged', comment, meta, (tx, now) => this.alerts.acknowledge(tx, id, principal.id, comment, now));
  }

  /** Done with: a new sign of the same rule and subject raises a new alert from now on. */
  resolve(principal: Principal, id: string, comment: string | null, meta: RequestMeta): Promise<AlertView> {
    return this.move(principal, id, 'resolved', comment, meta, (tx, now) => this.alerts.resolve(tx, id, principal.id, comment, now));
  }

  private move(
    principal: Principal,
    id: string,
    to: Exclude<AlertStatus, 'open'>,
    comment: string | null,
    meta: RequestMeta,
    write: (tx: Tx, now: Date) => Promise<void>,
  ): Promise<AlertView> {
    requireScope(principal, 'custos:alerts:write');
    return this.db.tenant(principal.tenantId, async (tx) => {
      const alert = requireAlert(await this.alerts.lockById(tx, id));
      if (alert.status === 'resolved' || alert.status === to) {
        throw new DomainError(ErrorCode.INVALID_TRANSITION, `The alert is already ${alert.status}.`);
      }
      const now = new Date();
      await write(tx, now);
      await this.audit.record(tx, meta, {
        action: to === 'acknowledged' ? 'alert.acknowledged' : 'alert.resolved',
        actor: actorOf(principal),
        target: { type: 'alert', id },
        data: { rule: alert.rule, subject: alert.subject, tokenId: alert.tokenId, from: alert.status, comment },
      });
      const change = { at: now.toISOString(), by: principal.id, comment };
      const view = alertView(alert);
      return to === 'acknowledged' ? { ...view, status: to, acknowledged: change } : { ...view, status: to, resolved: change };
    });
  }
}

function requireAlert(alert: AlertRecord | undefined): AlertRecord {
  if (!alert) throw DomainError.notFound('The alert');
  return alert;
}
