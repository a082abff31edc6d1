import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Guards every table of tenant rows (see the core schema); made again on every partition the functions below create. */
const TENANT_ISOLATION = `USING (tenant_id = current_setting('app.tenant_id', true))
          WITH CHECK (tenant_id = current_setting('app.tenant_id', true))`;

/**
 * Usage events: every verify answer and every service-key API request, one row each, written in
 * batches. High volume, so the table is partitioned by UTC day (usage_events_pYYYYMMDD): old days go
 * by dropping their partition, not by deleting rows. Charts read hourly rollups, kept current by the
 * same statement that writes the events, and the distinct addresses of a token per day, so that they
 * never scan raw events.
 *
 * An address is personal data: only its network (`ip_prefix`, at most /24 for IPv4 and /48 for IPv6;
 * the cidr type refuses host bits) and a keyed hash (`ip_hash`) exist here, never a whole address.
 *
 * No foreign keys: each would be a lookup per row on the busiest insert of the schema, and neither
 * tenants nor tokens are ever deleted. tenant_id leads every key, for sharding by tenant later.
 *
 * Partitions are made and dropped by SECURITY DEFINER functions (the application role owns no table):
 * the migration makes yesterday to a week ahead, the worker's `usage.partitions` job keeps a week
 * ahead and drops the days past the longest retention of any tenant, and the writer makes a missing
 * day itself when an insert finds none. Tenants keeping usage for less than the longest retention lose
 * their older rows by deletion (custos_usage_apply_retention).
 */
export class AddUsageEvents1765200000000 implements MigrationInterface {
  name = 'AddUsageEvents1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tenant_policies
        ADD COLUMN usage_retention_days integer NOT NULL DEFAULT 90 CHECK (usage_retention_days BETWEEN 1 AND 3650);

      CREATE TABLE usage_events (
        tenant_id text NOT NULL,
        occurred_at timestamptz NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        kind text NOT NULL CHECK (kind IN ('verify', 'api')),
        token_id text,
        caller_id text,
        outcome text NOT NULL CHECK (char_length(outcome) BETWEEN 1 AND 64),
        ip_prefix cidr CHECK (masklen(ip_prefix) <= CASE family(ip_prefix) WHEN 4 THEN 24 ELSE 48 END),
        ip_hash text CHECK (char_length(ip_hash) <= 128),
        country text CHECK (country ~ '^[A-Z]{2}$'),
        claimed_country text CHECK (claimed_country ~ '^[A-Z]{2}$'),
        region text CHECK (char_length(region) <= 64),
        -- The lengths libs/domain cuts these to (USAGE_RESOURCE_MAX, USAGE_USER_AGENT_MAX).
        resource text CHECK (char_length(resource) <= 512),
        transport text NOT NULL CHECK (transport IN ('https', 'http')),
        user_agent text CHECK (char_length(user_agent) <= 256),
        cross_border boolean NOT NULL DEFAULT false,
        geo_flagged boolean NOT NULL DEFAULT false,
        -- Also the (tenant_id, occurred_at) index of tenant-wide pages and of retention.
        PRIMARY KEY (tenant_id, occurred_at, id)
      ) PARTITION BY RANGE (occurred_at);
      CREATE INDEX usage_events_token_idx ON usage_events (tenant_id, token_id, occurred_at DESC, id DESC);

      -- token_id, country and region are null for uses without one; NULLS NOT DISTINCT makes those one row each.
      CREATE TABLE usage_rollups_hourly (
        tenant_id text NOT NULL,
        token_id text,
        hour timestamptz NOT NULL,
        kind text NOT NULL CHECK (kind IN ('verify', 'api')),
        outcome text NOT NULL,
        country text,
        region text,
        cross_border boolean NOT NULL,
        count bigint NOT NULL CHECK (count > 0),
        first_at timestamptz NOT NULL,
        last_at timestamptz NOT NULL,
        CONSTRAINT usage_rollups_hourly_key
          UNIQUE NULLS NOT DISTINCT (tenant_id, token_id, hour, kind, outcome, country, region, cross_border)
      );
      CREATE INDEX usage_rollups_hourly_period_idx ON usage_rollups_hourly (tenant_id, hour);

      CREATE TABLE usage_addresses_daily (
        tenant_id text NOT NULL,
        token_id text NOT NULL,
        day date NOT NULL,
        ip_hash text NOT NULL,
        PRIMARY KEY (tenant_id, token_id, day, ip_hash)
      );
    `);

    // On the parent, the policy applies to every query through it; the partitions get their own too.
    for (const table of ['usage_events', 'usage_rollups_hourly', 'usage_addresses_daily']) {
      await q.query(`
        ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON ${table}
          ${TENANT_ISOLATION};
      `);
    }

    await q.query(`
      CREATE FUNCTION custos_usage_ensure_partitions(p_from date, p_to date) RETURNS integer
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        DECLARE
          today date := (now() AT TIME ZONE 'UTC')::date;
          day date := p_from;
          part text;
          made integer := 0;
        BEGIN
          -- The application role may call this: only days that can hold events, a few at a time.
          IF p_from IS NULL OR p_to IS NULL OR p_from < today - 3650 OR p_to > today + 31 OR p_to < p_from THEN
            RAISE EXCEPTION 'usage partitions are made for days from % to % only', today - 3650, today + 31
              USING ERRCODE = 'invalid_parameter_value';
          END IF;
          PERFORM pg_advisory_xact_lock(hashtext('custos_usage_partitions'));
          WHILE day <= p_to LOOP
            part := 'usage_events_p' || to_char(day, 'YYYYMMDD');
            IF to_regclass('public.' || part) IS NULL THEN
              EXECUTE format('CREATE TABLE public.%I PARTITION OF public.usage_events FOR VALUES FROM (%L) TO (%L)',
                part, to_char(day, 'YYYY-MM-DD') || ' 00:00:00+00', to_char(day + 1, 'YYYY-MM-DD') || ' 00:00:00+00');
              EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', part);
              EXECUTE format($sql$CREATE POLICY tenant_isolation ON public.%I ${TENANT_ISOLATION}$sql$, part);
              made := made + 1;
            END IF;
            day := day + 1;
          END LOOP;
          RETURN made;
        END $$;

      -- A day goes when all of it is older than the longest retention of any tenant.
      CREATE FUNCTION custos_usage_drop_partitions() RETURNS SETOF text
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        DECLARE
          keep_days integer;
          part text;
        BEGIN
          SELECT coalesce(max(usage_retention_days), 90) INTO keep_days FROM tenant_policies;
          PERFORM pg_advisory_xact_lock(hashtext('custos_usage_partitions'));
          FOR part IN
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'public.usage_events'::regclass AND c.relname ~ '^usage_events_p[0-9]{8}$'
               AND to_date(substr(c.relname, 15), 'YYYYMMDD') < ((now() - make_interval(days => keep_days)) AT TIME ZONE 'UTC')::date
             ORDER BY c.relname
          LOOP
            EXECUTE format('DROP TABLE public.%I', part);
            RETURN NEXT part;
          END LOOP;
        END $$;

      -- At most p_limit rows of each table: events of tenants keeping less than the longest retention
      -- (the rest goes with its partitions), rollups and addresses of every tenant.
      CREATE FUNCTION custos_usage_apply_retention(p_limit integer)
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

          DELETE FROM usage_addresses_daily WHERE ctid = ANY (ARRAY(
            SELECT a.ctid FROM tenant_policies p
              JOIN usage_addresses_daily a ON a.tenant_id = p.tenant_id
                AND a.day < ((now() - make_interval(days => p.usage_retention_days)) AT TIME ZONE 'UTC')::date
             LIMIT p_limit));
          GET DIAGNOSTICS addresses = ROW_COUNT;
          RETURN NEXT;
        END $$;

      REVOKE ALL ON FUNCTION custos_usage_ensure_partitions(date, date), custos_usage_drop_partitions(),
        custos_usage_apply_retention(integer) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION custos_usage_ensure_partitions(date, date), custos_usage_drop_partitions(),
        custos_usage_apply_retention(integer) TO custos_app;

      GRANT SELECT, INSERT ON usage_events TO custos_app;
      GRANT SELECT, INSERT, UPDATE ON usage_rollups_hourly TO custos_app;
      GRANT SELECT, INSERT ON usage_addresses_daily TO custos_app;

      SELECT custos_usage_ensure_partitions((now() AT TIME ZONE 'UTC')::date - 1, (now() AT TIME ZONE 'UTC')::date + 7);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION IF EXISTS custos_usage_ensure_partitions(date, date), custos_usage_drop_partitions(),
        custos_usage_apply_retention(integer);
      DROP TABLE IF EXISTS usage_addresses_daily, usage_rollups_hourly, usage_events;
      ALTER TABLE tenant_policies DROP COLUMN IF EXISTS usage_retention_days;
    `);
  }
}
