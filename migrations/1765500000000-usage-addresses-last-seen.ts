import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Distinct client addresses of a token in 30 days" counted from one row per (token, address hash) with
 * the last day it was seen, instead of one row per (token, day, address hash): the count is then a range
 * over the token's addresses seen since the day asked, not a DISTINCT over every day's (bench:usage
 * measured 214 ms for a token with 5,000 addresses a day over 30 days; now a few ms). Retention deletes
 * the addresses not seen within the tenant's retention.
 */
export class UsageAddressesLastSeen1765500000000 implements MigrationInterface {
  name = 'UsageAddressesLastSeen1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE usage_addresses (
        tenant_id text NOT NULL,
        token_id text NOT NULL,
        ip_hash text NOT NULL CHECK (char_length(ip_hash) <= 128),
        last_day date NOT NULL,
        PRIMARY KEY (tenant_id, token_id, ip_hash)
      );
      CREATE INDEX usage_addresses_last_day_idx ON usage_addresses (tenant_id, token_id, last_day);
      ALTER TABLE usage_addresses ENABLE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON usage_addresses
        USING (tenant_id = current_setting('app.tenant_id', true))
        WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
      GRANT SELECT, INSERT, UPDATE ON usage_addresses TO custos_app;

      INSERT INTO usage_addresses (tenant_id, token_id, ip_hash, last_day)
      SELECT tenant_id, token_id, ip_hash, max(day) FROM usage_addresses_daily GROUP BY 1, 2, 3;
      DROP TABLE usage_addresses_daily;

      CREATE OR REPLACE FUNCTION custos_usage_apply_retention(p_limit integer)
        RETURNS TABLE (events bigint, rollups bigint, addresses bigint)
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        DECLARE
          keep_days integer;
        BEGIN
          SELECT coalesce(max(usage_retention_days), 90) INTO keep_days FROM tenant_policies;
          WITH doomed AS (
            SELECT e.tenant_id, e.occurred_at, e.id
              FROM tenant_policies p
              CROSS JOIN LATERAL (
                SELECT u.tenant_id, u.occurred_at, u.id FROM usage_events u
                 WHERE u.tenant_id = p.tenant_id AND u.occurred_at < now() - make_interval(days => p.usage_retention_days)
                 LIMIT p_limit) e
             WHERE p.usage_retention_days < keep_days
             LIMIT p_limit)
          DELETE FROM usage_events u USING doomed d
           WHERE u.tenant_id = d.tenant_id AND u.occurred_at = d.occurred_at AND u.id = d.id;
          GET DIAGNOSTICS events = ROW_COUNT;

          DELETE FROM usage_rollups_hourly WHERE ctid = ANY (ARRAY(
            SELECT r.ctid FROM tenant_policies p
              JOIN usage_rollups_hourly r ON r.tenant_id = p.tenant_id
                AND r.hour < now() - make_interval(days => p.usage_retention_days)
             LIMIT p_limit));
          GET DIAGNOSTICS rollups = ROW_COUNT;

          DELETE FROM usage_addresses WHERE ctid = ANY (ARRAY(
            SELECT a.ctid FROM tenant_policies p
              JOIN usage_addresses a ON a.tenant_id = p.tenant_id
                AND a.last_day < ((now() - make_interval(days => p.usage_retention_days)) AT TIME ZONE 'UTC')::date
             LIMIT p_limit));
          GET DIAGNOSTICS addresses = ROW_COUNT;
          RETURN NEXT;
        END $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE usage_addresses_daily (
        tenant_id text NOT NULL,
        token_id text NOT NULL,
        day date NOT NULL,
        ip_hash text NOT NULL,
        PRIMARY KEY (tenant_id, token_id, day, ip_hash)
      );
      ALTER TABLE usage_addresses_daily ENABLE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON usage_addresses_daily
        USING (tenant_id = current_setting('app.tenant_id', true))
        WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
      GRANT SELECT, INSERT ON usage_addresses_daily TO custos_app;
      INSERT INTO usage_addresses_daily (tenant_id, token_id, day, ip_hash) SELECT tenant_id, token_id, last_day, ip_hash FROM usage_addresses;
      DROP TABLE usage_addresses;
    `);
  }
}
