import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks: endpoints (with their signing secret sealed under CUSTOS_MASTER_KEY, since the worker must
 * sign with it) and deliveries, an outbox written in the same transaction as the audit event it
 * announces. Both are tenant-owned with row-level security like the core schema. Endpoints are never
 * deleted, only marked, so their delivery history stays readable.
 */
export class AddWebhooks1764028800000 implements MigrationInterface {
  name = 'AddWebhooks1764028800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_endpoints (
        tenant_id text NOT NULL REFERENCES tenants (id),
        id text NOT NULL,
        url text NOT NULL CHECK (length(url) <= 2048),
        events text[] NOT NULL CHECK (cardinality(events) > 0),
        secret_sealed text NOT NULL,
        description text,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        PRIMARY KEY (tenant_id, id)
      );
      CREATE INDEX webhook_endpoints_list_idx ON webhook_endpoints (tenant_id, created_at DESC, id DESC);

      CREATE TABLE webhook_deliveries (
        tenant_id text NOT NULL REFERENCES tenants (id),
        id text NOT NULL,
        endpoint_id text NOT NULL,
        event_type text NOT NULL,
        -- The webhook-id header: one per event, the same on every retry (receivers dedupe on it).
        message_id text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        -- While pending: when the next attempt is due, or when the lease of the attempt in flight ends.
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz,
        last_status integer,
        last_error text,
        attempt_log jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoints (tenant_id, id)
      );
      CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (tenant_id, endpoint_id, created_at DESC, id DESC);
      -- Due deliveries: serves tenant discovery (one probe per tenant) and the per-tenant claim, which
      -- runs under RLS and so always filters on tenant_id; a (next_attempt_at)-only index would add
      -- nothing but write cost.
      CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (tenant_id, next_attempt_at) WHERE status = 'pending';
    `);

    for (const table of ['webhook_endpoints', 'webhook_deliveries']) {
      await q.query(`
        ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON ${table}
          USING (tenant_id = current_setting('app.tenant_id', true))
          WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
      `);
    }

    await q.query(`
      CREATE FUNCTION custos_tenants_with_due_webhooks(p_limit integer) RETURNS SETOF text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
          SELECT t.id FROM tenants t
           WHERE EXISTS (SELECT 1 FROM webhook_deliveries d
                          WHERE d.tenant_id = t.id AND d.status = 'pending' AND d.next_attempt_at <= now())
           LIMIT p_limit
        $$;
      REVOKE ALL ON FUNCTION custos_tenants_with_due_webhooks(integer) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION custos_tenants_with_due_webhooks(integer) TO custos_app;

      GRANT SELECT, INSERT ON webhook_endpoints, webhook_deliveries TO custos_app;
      GRANT UPDATE (deleted_at) ON webhook_endpoints TO custos_app;
      GRANT UPDATE (status, attempts, next_attempt_at, last_attempt_at, last_status, last_error, attempt_log, delivered_at)
        ON webhook_deliveries TO custos_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION IF EXISTS custos_tenants_with_due_webhooks(integer);
      DROP TABLE IF EXISTS webhook_deliveries, webhook_endpoints;
    `);
  }
}
