import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_ISOLATION = `USING (tenant_id = current_setting('app.tenant_id', true))
          WITH CHECK (tenant_id = current_setting('app.tenant_id', true))`;

/**
 * Alerts on signs of abuse (docs/alerts.md).
 *
 * - alerts: one row per raised alert; at most one unresolved (open or acknowledged) per rule and
 *   subject (a token, or for brute force a caller or a network), so repeats update it instead of
 *   flooding. Evidence holds networks, never whole addresses.
 * - alert_signals: the outbox between the usage event writer and the worker's evaluator. Each written
 *   batch of usage events adds its summary here in the same transaction, so no batch escapes the rules;
 *   the evaluator deletes what it evaluated in the transaction that raises the alerts.
 * - alert_counters and alert_networks: the windows the rules count in (uses and failures per bucket of
 *   time, the addresses a token was used from lately), kept by the evaluator and pruned to a day.
 * - tenant_policies: the rules' overrides (rules left out keep their defaults, in libs/domain), the
 *   acknowledgement SLA, and whether remediation may touch the owner's service keys.
 */
export class AddAlerts1765700000000 implements MigrationInterface {
  name = 'AddAlerts1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tenant_policies
        ADD COLUMN alert_rules jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(alert_rules) = 'object'),
        ADD COLUMN alert_ack_within_minutes integer NOT NULL DEFAULT 60 CHECK (alert_ack_within_minutes BETWEEN 1 AND 10080),
        ADD COLUMN alert_remediate_owner_keys boolean NOT NULL DEFAULT false;

      CREATE TABLE alerts (
        tenant_id text NOT NULL REFERENCES tenants (id),
        id text NOT NULL,
        rule text NOT NULL CHECK (char_length(rule) <= 64),
        severity text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
        subject text NOT NULL CHECK (char_length(subject) <= 128),
        token_id text,
        service_id text,
        first_seen_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        count bigint NOT NULL CHECK (count > 0),
        evidence jsonb NOT NULL DEFAULT '[]'::jsonb,
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        remediation jsonb,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
        acknowledged_at timestamptz,
        acknowledged_by text,
        acknowledged_comment text CHECK (char_length(acknowledged_comment) <= 1000),
        resolved_at timestamptz,
        resolved_by text,
        resolved_comment text CHECK (char_length(resolved_comment) <= 1000),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      );
      CREATE UNIQUE INDEX alerts_one_unresolved ON alerts (tenant_id, rule, subject) WHERE status <> 'resolved';
      CREATE INDEX alerts_token_idx ON alerts (tenant_id, token_id, id);

      CREATE TABLE alert_signals (
        tenant_id text NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        created_at timestamptz NOT NULL DEFAULT now(),
        signal jsonb NOT NULL,
        PRIMARY KEY (tenant_id, id)
      );

      CREATE TABLE alert_counters (
        tenant_id text NOT NULL,
        subject text NOT NULL,
        bucket bigint NOT NULL,
        count bigint NOT NULL CHECK (count > 0),
        PRIMARY KEY (tenant_id, subject, bucket)
      );

      CREATE TABLE alert_networks (
        tenant_id text NOT NULL,
        token_id text NOT NULL,
        ip_hash text NOT NULL,
        last_seen_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, token_id, ip_hash)
      );
    `);

    for (const table of ['alerts', 'alert_signals', 'alert_counters', 'alert_networks']) {
      await q.query(`
        ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON ${table}
          ${TENANT_ISOLATION};
      `);
    }

    await q.query(`
      CREATE FUNCTION custos_tenants_with_alert_signals(p_limit integer) RETURNS SETOF text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
          SELECT DISTINCT tenant_id FROM alert_signals LIMIT p_limit
        $$;

      -- The windows are a day at the longest (docs/alerts.md); older rows count for nothing.
      CREATE FUNCTION custos_alerts_prune(p_counters_before bigint, p_networks_before timestamptz, p_limit integer)
        RETURNS TABLE (counters bigint, networks bigint)
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        BEGIN
          WITH gone AS (
            DELETE FROM alert_counters c USING (
              SELECT tenant_id, subject, bucket FROM alert_counters WHERE bucket < p_counters_before LIMIT p_limit
            ) old WHERE c.tenant_id = old.tenant_id AND c.subject = old.subject AND c.bucket = old.bucket
            RETURNING 1
          ) SELECT count(*) INTO counters FROM gone;
          WITH gone AS (
            DELETE FROM alert_networks n USING (
              SELECT tenant_id, token_id, ip_hash FROM alert_networks WHERE last_seen_at < p_networks_before LIMIT p_limit
            ) old WHERE n.tenant_id = old.tenant_id AND n.token_id = old.token_id AND n.ip_hash = old.ip_hash
            RETURNING 1
          ) SELECT count(*) INTO networks FROM gone;
          RETURN NEXT;
        END $$;

      REVOKE ALL ON FUNCTION custos_tenants_with_alert_signals(integer), custos_alerts_prune(bigint, timestamptz, integer) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION custos_tenants_with_alert_signals(integer), custos_alerts_prune(bigint, timestamptz, integer) TO custos_app;

      GRANT SELECT, INSERT ON alerts TO custos_app;
      GRANT UPDATE (severity, last_seen_at, count, evidence, details, remediation, token_id, service_id, status,
                    acknowledged_at, acknowledged_by, acknowledged_comment, resolved_at, resolved_by, resolved_comment)
        ON alerts TO custos_app;
      -- UPDATE only for the claim's FOR UPDATE SKIP LOCKED: signals are never changed, only deleted once evaluated.
      GRANT SELECT, INSERT, UPDATE, DELETE ON alert_signals TO custos_app;
      GRANT SELECT, INSERT, UPDATE ON alert_counters, alert_networks TO custos_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION IF EXISTS custos_tenants_with_alert_signals(integer), custos_alerts_prune(bigint, timestamptz, integer);
      DROP TABLE IF EXISTS alert_networks, alert_counters, alert_signals, alerts;
      ALTER TABLE tenant_policies
        DROP COLUMN IF EXISTS alert_rules,
        DROP COLUMN IF EXISTS alert_ack_within_minutes,
        DROP COLUMN IF EXISTS alert_remediate_owner_keys;
    `);
  }
}
