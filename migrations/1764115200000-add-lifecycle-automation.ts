import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the worker's lifecycle sweeps need: the due dates of expiry notices and unused-token checks,
 * successors waiting for their service to fetch them, and tenant discovery that costs one index probe
 * per tenant instead of a DISTINCT over every due row.
 */
export class AddLifecycleAutomation1764115200000 implements MigrationInterface {
  name = 'AddLifecycleAutomation1764115200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tokens
        ADD COLUMN resumed_at timestamptz,
        ADD COLUMN suspended_reason text,
        ADD COLUMN unused_warned_at timestamptz,
        -- When the next "expiring soon" notice is due (7 days, then 1 day before expiry); NULL: none left.
        ADD COLUMN expiry_notice_at timestamptz;

      -- Notices only for tokens that live longer than the notice's window: a one-hour token needs no
      -- "expires in a day" warning. Kept by a trigger so every path that sets an expiry gets it right.
      CREATE FUNCTION custos_token_expiry_notice() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        since timestamptz := CASE WHEN TG_OP = 'INSERT' THEN NEW.created_at ELSE now() END;
      BEGIN
        NEW.expiry_notice_at := CASE
          WHEN NEW.expires_at - since > interval '7 days' THEN NEW.expires_at - interval '7 days'
          WHEN NEW.expires_at - since > interval '1 day' THEN NEW.expires_at - interval '1 day'
        END;
        RETURN NEW;
      END $$;
      CREATE TRIGGER tokens_expiry_notice BEFORE INSERT OR UPDATE OF expires_at ON tokens
        FOR EACH ROW EXECUTE FUNCTION custos_token_expiry_notice();
      UPDATE tokens SET expires_at = expires_at WHERE status IN ('active', 'suspended') AND expires_at > now();

      -- Due-date indexes lead with the tenant: sweeps run inside one tenant's transaction (RLS).
      DROP INDEX tokens_expiry_due_idx;
      DROP INDEX tokens_grace_due_idx;
      DROP INDEX tokens_rotation_due_idx;
      CREATE INDEX tokens_expiry_due_idx ON tokens (tenant_id, expires_at) WHERE status IN ('active', 'suspended');
      CREATE INDEX tokens_grace_due_idx ON tokens (tenant_id, grace_ends_at) WHERE status = 'rotating';
      CREATE INDEX tokens_rotation_due_idx ON tokens (tenant_id, next_rotation_at)
        WHERE status = 'active' AND next_rotation_at IS NOT NULL;
      CREATE INDEX tokens_expiry_notice_due_idx ON tokens (tenant_id, expiry_notice_at)
        WHERE status IN ('active', 'suspended') AND expiry_notice_at IS NOT NULL;
      -- A token is unused since it was created, last used or resumed, whichever is latest.
      CREATE INDEX tokens_unused_idx ON tokens (tenant_id, (greatest(created_at, last_used_at, resumed_at)))
        WHERE status = 'active';

      CREATE TABLE token_successor_pickups (
        tenant_id text NOT NULL REFERENCES tenants (id),
        predecessor_id text NOT NULL,
        successor_id text NOT NULL,
        -- Exactly one of: the successor's secret as a JWE to the service's public key, or sealed
        -- (AES-256-GCM under CUSTOS_MASTER_KEY) when the service has none. Cleared once fetched.
        jwe text,
        sealed_secret text,
        available_until timestamptz NOT NULL,
        fetched_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, predecessor_id),
        FOREIGN KEY (tenant_id, predecessor_id) REFERENCES tokens (tenant_id, id),
        FOREIGN KEY (tenant_id, successor_id) REFERENCES tokens (tenant_id, id),
        CHECK (fetched_at IS NOT NULL OR (jwe IS NULL) <> (sealed_secret IS NULL))
      );
      ALTER TABLE token_successor_pickups ENABLE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON token_successor_pickups
        USING (tenant_id = current_setting('app.tenant_id', true))
        WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
      GRANT SELECT, INSERT, UPDATE ON token_successor_pickups TO custos_app;

      -- The warning comes 7 days before the limit, or half-way for limits shorter than two weeks.
      CREATE FUNCTION custos_unused_warning_days(p_limit_days integer) RETURNS numeric
        LANGUAGE sql IMMUTABLE AS $$ SELECT p_limit_days - least(7, p_limit_days / 2.0) $$;
      GRANT EXECUTE ON FUNCTION custos_unused_warning_days(integer) TO custos_app;

      DROP FUNCTION custos_tenants_with_due_tokens(text, integer);
      CREATE FUNCTION custos_tenants_with_due_tokens(p_kind text, p_limit integer) RETURNS SETOF text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
          SELECT t.id FROM tenants t
           WHERE CASE p_kind
             WHEN 'expire' THEN EXISTS (SELECT 1 FROM tokens k WHERE k.tenant_id = t.id
                  AND k.status IN ('active', 'suspended') AND k.expires_at <= now())
             WHEN 'grace_end' THEN EXISTS (SELECT 1 FROM tokens k WHERE k.tenant_id = t.id
                  AND k.status = 'rotating' AND k.grace_ends_at <= now())
             WHEN 'rotate' THEN EXISTS (SELECT 1 FROM tokens k WHERE k.tenant_id = t.id
                  AND k.status = 'active' AND k.next_rotation_at IS NOT NULL AND k.next_rotation_at <= now())
             WHEN 'expiry_notice' THEN EXISTS (SELECT 1 FROM tokens k WHERE k.tenant_id = t.id
                  AND k.status IN ('active', 'suspended') AND k.expiry_notice_at IS NOT NULL AND k.expiry_notice_at <= now())
             WHEN 'unused' THEN EXISTS (SELECT 1 FROM tokens k JOIN tenant_policies p ON p.tenant_id = k.tenant_id
                  WHERE k.tenant_id = t.id AND k.status = 'active'
                    AND greatest(k.created_at, k.last_used_at, k.resumed_at)
                        <= now() - custos_unused_warning_days(p.disable_unused_after_days) * interval '1 day'
                    AND (k.unused_warned_at IS NULL OR k.unused_warned_at < greatest(k.created_at, k.last_used_at, k.resumed_at)
                         OR greatest(k.created_at, k.last_used_at, k.resumed_at) <= now() - p.disable_unused_after_days * interval '1 day'))
             ELSE false
           END
           LIMIT p_limit
        $$;
      REVOKE ALL ON FUNCTION custos_tenants_with_due_tokens(text, integer) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION custos_tenants_with_due_tokens(text, integer) TO custos_app;

      -- The installation's own tenant (the first created) runs what spans tenants, such as the queue
      -- dashboard, unless CUSTOS_OPERATOR_TENANT_ID names another.
      CREATE FUNCTION custos_first_tenant() RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
        $$ SELECT id FROM tenants ORDER BY created_at, id LIMIT 1 $$;
      REVOKE ALL ON FUNCTION custos_first_tenant() FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION custos_first_tenant() TO custos_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE IF EXISTS token_successor_pickups;
      DROP TRIGGER IF EXISTS tokens_expiry_notice ON tokens;
      DROP FUNCTION IF EXISTS custos_token_expiry_notice();
      DROP INDEX IF EXISTS tokens_expiry_notice_due_idx, tokens_unused_idx, tokens_expiry_due_idx, tokens_grace_due_idx,
        tokens_rotation_due_idx;
      CREATE INDEX tokens_expiry_due_idx ON tokens (expires_at) WHERE status IN ('active', 'suspended');
      CREATE INDEX tokens_grace_due_idx ON tokens (grace_ends_at) WHERE status = 'rotating';
      CREATE INDEX tokens_rotation_due_idx ON tokens (next_rotation_at) WHERE status = 'active';
      DROP FUNCTION IF EXISTS custos_tenants_with_due_tokens(text, integer);
      DROP FUNCTION IF EXISTS custos_unused_warning_days(integer);
      DROP FUNCTION IF EXISTS custos_first_tenant();
      ALTER TABLE tokens DROP COLUMN resumed_at, DROP COLUMN suspended_reason, DROP COLUMN unused_warned_at,
        DROP COLUMN expiry_notice_at;
    `);
  }
}
