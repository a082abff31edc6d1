import { WEBHOOK_EVENT_OF_AUDIT_ACTION, webhookEventOf, type AuditAction } from '@custos/contracts';
import { NEW_DELIVERY_ID_SQL, NEW_MESSAGE_ID_SQL } from '../webhooks/webhook-rows';

/** What the outbox needs to know of each audit entry. */
export interface OutboxEntry {
  action: AuditAction;
  webhookData?: Record<string, unknown> | undefined;
}

/**
 * Placeholders of the audit insert's own parameter arrays (one element per entry), which the outbox
 * reads again instead of sending every entry's data a second time.
 */
export interface AuditColumns {
  tenantId: string;
  actions: string;
  actorTypes: string;
  actorIds: string;
  targetTypes: string;
  targetIds: string;
  /** The audit data, with the request's ip merged in (the outbox drops it again). */
  data: string;
}

const quote = (value: string): string => `'${value.replace(/'/g, "''")}'`;

// Built once from the contract's table: the SQL and the TypeScript check can never disagree.
const EVENT_TYPE_OF_ACTION = `CASE e.action ${Object.entries(WEBHOOK_EVENT_OF_AUDIT_ACTION)
  .map(([action, type]) => `WHEN ${quote(action)} THEN ${quote(type)}`)
  .join(' ')} END`;

/**
 * The webhook deliveries announcing some of these audit entries, as CTEs for the audit insert's
 * statement: one row per live, enabled endpoint of the tenant subscribed to the entry's event type, so the
 * outbox commits (or rolls back) with the change and its audit event, in the same round trip. Null
 * when no entry is announced to webhooks, so the audit path stays as it was.
 *
 * The payload follows Standard Webhooks: `{ type, timestamp, data }`, where data is `{ tokenId, action,
 * actor }` then the audit data (without the client's address or network) then the entry's webhookData. One message id per
 * event, shared by its endpoints and kept across retries, is the `webhook-id` receivers dedupe on.
 */
export function webhookOutbox(
  entries: readonly OutboxEntry[],
  columns: AuditColumns,
  firstParam: number,
  occurredAt: string,
): { ctes: string[]; params: unknown[] } | null {
  if (!entries.some((e) => webhookEventOf(e.action) !== undefined)) return null;
  const params: unknown[] = [occurredAt];
  const timestamp = `$${firstParam}::text`;
  let webhookData = `'{}'::jsonb`;
  let extraColumn = '';
  let extraName = '';
  if (entries.some((e) => e.webhookData !== undefined)) {
    params.push(entries.map((e) => (e.webhookData === undefined ? null : JSON.stringify(e.webhookData))));
    extraColumn = `, $${firstParam + 1}::jsonb[]`;
    extraName = ', webhook_data';
    webhookData = `coalesce(e.webhook_data, '{}'::jsonb)`;
  }
  const events = `webhook_events AS MATERIALIZED (
      SELECT ${EVENT_TYPE_OF_ACTION} AS event_type,
             ${NEW_MESSAGE_ID_SQL} AS message_id,
             jsonb_build_object(
               'type', ${EVENT_TYPE_OF_ACTION},
               'timestamp', ${timestamp},
               'data', jsonb_build_object(
                 'tokenId', CASE WHEN e.target_type = 'token' THEN e.target_id END,
                 'action', e.action,
                 'actor', jsonb_build_object('type', e.actor_type, 'id', e.actor_id)
               ) || (coalesce(e.data, '{}'::jsonb) - 'ip' - 'ipNetwork') || ${webhookData}
             ) AS payload
        FROM unnest(${columns.actions}::text[], ${columns.actorTypes}::text[], ${columns.actorIds}::text[],
                    ${columns.targetTypes}::text[], ${columns.targetIds}::text[], ${columns.data}::jsonb[]${extraColumn})
          AS e(action, actor_type, actor_id, target_type, target_id, data${extraName})
       -- Evaluated once (an uncorrelated InitPlan): a tenant without webhooks builds no payloads at all,
       -- which keeps sweeps over many tokens as cheap as before webhooks existed.
       WHERE EXISTS (SELECT 1 FROM webhook_endpoints WHERE deleted_at IS NULL AND disabled_at IS NULL)
    )`;
  const deliveries = `webhook_outbox AS (
      INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, event_type, message_id, payload)
      SELECT ${columns.tenantId}, ${NEW_DELIVERY_ID_SQL}, w.id, m.event_type, m.message_id, m.payload
        FROM webhook_events m
        JOIN webhook_endpoints w ON w.deleted_at IS NULL AND w.disabled_at IS NULL AND m.event_type = ANY (w.events)
    )`;
  return { ctes: [events, deliveries], params };
}
