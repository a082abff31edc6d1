import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_TABLES = ['tenant_policies', 'users', 'sessions', 'services', 'tokens', 'audit_events', 'audit_heads'];

/**
 * The core schema. Isolation: every tenant-owned table has row-level security keyed on the
 * transaction-local setting `app.tenant_id`. The application role `custos_app` is neither superuser nor
 * BYPASSRLS and does not own the tables, so a query that forgets its tenant filter still sees only its
 * own tenant. The few lookups that must cross tenants (authentication by a secret's hash, login by
 * e-mail, sweeps) are SECURITY DEFINER functions returning ids only.
 */
export class CreateCoreSchema1763856000000 implements MigrationInterface {
  name = 'CreateCoreSchema1763856000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$ BEGIN
        CREATE ROLE custos_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- created by another database's migration
      END $$;
    `);

    await q.query(`
      CREATE TABLE tenants (
        id text PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE tenant_policies (
        tenant_id text PRIMARY KEY REFERENCES tenants (id),
        max_lifetime_seconds integer NOT NULL DEFAULT 7776000 CHECK (max_lifetime_seconds > 0),
        default_rotation_interval_seconds integer CHECK (default_rotation_interval_seconds > 0),
        default_grace_period_seconds integer NOT NULL DEFAULT 86400 CHECK (default_grace_period_seconds >= 0),
        disable_unused_after_days integer NOT NULL DEFAULT 90 CHECK (disable_unused_after_days > 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE users (
        tenant_id text NOT NULL REFERENCES tenants (id),
        id text NOT NULL,
        email text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('owner', 'admin', 'operator', 'auditor', 'viewer')),
        failed_login_count integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        last_login_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      );
      -- Log-in is by e-mail alone, so an e-mail belongs to one account across tenants.
      CREATE UNIQUE INDEX users_email_key ON users (lower(email));
      CREATE TABLE sessions (
        tenant_id text NOT NULL,
        id text NOT NULL,
        user_id text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
      );
      CREATE TABLE services (
        tenant_id text NOT NULL REFERENCES tenants (id),
        id text NOT NULL,
        name text NOT NULL,
        description text,
        owner_contact text,
        allowed_scopes text[] NOT NULL DEFAULT '{}',
        public_jwk jsonb,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      );
      CREATE UNIQUE INDEX services_name_key ON services (tenant_id, lower(name));
      CREATE TABLE tokens (
        tenant_id text NOT NULL REFERENCES tenants (id),
        id text NOT NULL,
        kind text NOT NULL DEFAULT 'api_key' CHECK (kind IN ('api_key')),
        name text NOT NULL,
        environment text NOT NULL CHECK (environment IN ('live', 'test')),
        owner_service_id text,
        created_by text,
        created_via text NOT NULL CHECK (created_via IN ('dashboard', 'api', 'rotation', 'bootstrap')),
        lookup_id text NOT NULL UNIQUE,
        secret_hash text NOT NULL,
        pepper_id text NOT NULL,
        last4 text NOT NULL,
        scopes text[] NOT NULL DEFAULT '{}',
        status text NOT NULL CHECK (status IN ('active', 'rotating', 'suspended', 'revoked', 'expired')),
        not_before timestamptz,
        expires_at timestamptz NOT NULL,
        grace_ends_at timestamptz,
        revoked_at timestamptz,
        revoked_by text,
        revoked_reason text,
        suspended_at timestamptz,
        rotation_interval_seconds integer CHECK (rotation_interval_seconds > 0),
        grace_period_seconds integer CHECK (grace_period_seconds >= 0),
        next_rotation_at timestamptz,
        rotated_from_id text,
        root_id text NOT NULL,
        allowed_cidrs text[] NOT NULL DEFAULT '{}',
        max_uses integer CHECK (max_uses > 0),
        remaining_uses integer CHECK (remaining_uses >= 0),
        metadata jsonb NOT NULL DEFAULT '{}',
        last_used_at timestamptz,
        last_used_ip text,
        use_count bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, owner_service_id) REFERENCES services (tenant_id, id),
        FOREIGN KEY (tenant_id, rotated_from_id) REFERENCES tokens (tenant_id, id)
      );
      CREATE INDEX tokens_inventory_idx ON tokens (tenant_id, created_at DESC, id DESC);
      CREATE INDEX tokens_status_idx ON tokens (tenant_id, status, created_at DESC, id DESC);
      CREATE INDEX tokens_owner_idx ON tokens (tenant_id, owner_service_id, created_at DESC);
      CREATE INDEX tokens_lineage_idx ON tokens (tenant_id, root_id, created_at);
      CREATE INDEX tokens_scopes_idx ON tokens USING gin (scopes);
      CREATE INDEX tokens_name_idx ON tokens (tenant_id, lower(name) text_pattern_ops);
      CREATE INDEX tokens_expiry_due_idx ON tokens (expires_at) WHERE status IN ('active', 'suspended');
      CREATE INDEX tokens_grace_due_idx ON tokens (grace_ends_at) WHERE status = 'rotating';
      CREATE INDEX tokens_rotation_due_idx ON tokens (next_rotation_at) WHERE status = 'active';
    `);

    await q.query(`
      CREATE TABLE audit_events (
        tenant_id text NOT NULL REFERENCES tenants (id),
        id bigint GENERATED ALWAYS AS IDENTITY,
        seq bigint,
        occurred_at timestamptz NOT NULL,
        action text NOT NULL,
        actor_type text NOT NULL,
        actor_id text,
        target_type text,
        target_id text,
        request_id text,
        data jsonb NOT NULL DEFAULT '{}',
        prev_hash text,
        hash text,
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, seq),
        CHECK ((seq IS NULL) = (hash IS NULL) AND (seq IS NULL) = (prev_hash IS NULL))
      );
      CREATE INDEX audit_events_unsealed_idx ON audit_events (tenant_id, id) WHERE seq IS NULL;
      CREATE INDEX audit_events_action_idx ON audit_events (tenant_id, action, seq);
      CREATE INDEX audit_events_target_idx ON audit_events (tenant_id, target_id, seq);
      CREATE INDEX audit_events_actor_idx ON audit_events (tenant_id, actor_id, seq);
      CREATE TABLE audit_heads (
        tenant_id text PRIMARY KEY REFERENCES tenants (id),
        seq bigint NOT NULL DEFAULT 0,
        hash text NOT NULL
      );

      -- Append-only: the one update allowed is sealing an event once (seq, prev_hash, hash from NULL).
      CREATE FUNCTION custos_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          IF OLD.seq IS NULL AND NEW.seq IS NOT NULL
             AND NEW.tenant_id = OLD.tenant_id AND NEW.id = OLD.id AND NEW.occurred_at = OLD.occurred_at
             AND NEW.action = OLD.action AND NEW.actor_type = OLD.actor_type
             AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
             AND NEW.target_type IS NOT DISTINCT FROM OLD.target_type
             AND NEW.target_id IS NOT DISTINCT FROM OLD.target_id
             AND NEW.request_id IS NOT DISTINCT FROM OLD.request_id
             AND NEW.data = OLD.data THEN
            RETURN NEW;
          END IF;
        END IF;
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION custos_audit_append_only();
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION custos_audit_append_only();
    `);

    await q.query(`
      ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON tenants
        USING (id = current_setting('app.tenant_id', true))
        WITH CHECK (id = current_setting('app.tenant_id', true));
    `);
    for (const table of TENANT_TABLES) {
      await q.query(`
        ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON ${table}
          USING (tenant_id = current_setting('app.tenant_id', true))
          WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
      `);
    }

    await q.query(`
      CREATE FUNCTION custos_resolve_token(p_lookup_id text) RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
        $$ SELECT tenant_id FROM tokens WHERE lookup_id = p_lookup_id $$;
      CREATE FUNCTION custos_resolve_session(p_token_hash text)
        RETURNS TABLE (tenant_id text, session_id text, user_id text, email text, role text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
        $$ SELECT s.tenant_id, s.id, u.id, u.email, u.role
             FROM sessions s JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
            WHERE s.token_hash = p_token_hash AND s.expires_at > now() $$;
      CREATE FUNCTION custos_resolve_login(p_email text) RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
        $$ SELECT tenant_id FROM users WHERE lower(email) = lower(p_email) $$;
      CREATE FUNCTION custos_any_tenant() RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
        $$ SELECT EXISTS (SELECT 1 FROM tenants) $$;
      CREATE FUNCTION custos_tenants_with_unsealed_audit(p_limit integer) RETURNS SETOF text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
        $$ SELECT DISTINCT tenant_id FROM audit_events WHERE seq IS NULL LIMIT p_limit $$;
      REVOKE ALL ON FUNCTION custos_resolve_token(text), custos_resolve_session(text), custos_resolve_login(text),
        custos_any_tenant(), custos_tenants_with_unsealed_audit(integer) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION custos_resolve_token(text), custos_resolve_session(text), custos_resolve_login(text),
        custos_any_tenant(), custos_tenants_with_unsealed_audit(integer) TO custos_app;

      GRANT USAGE ON SCHEMA public TO custos_app;
      GRANT SELECT, INSERT, UPDATE ON tenants, tenant_policies, users, services, tokens, audit_heads TO custos_app;
      GRANT DELETE ON users TO custos_app;
      GRANT SELECT, INSERT, DELETE ON sessions TO custos_app;
      GRANT SELECT, INSERT ON audit_events TO custos_app;
      GRANT UPDATE (seq, prev_hash, hash) ON audit_events TO custos_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION IF EXISTS custos_resolve_token(text), custos_resolve_session(text), custos_resolve_login(text),
        custos_any_tenant(), custos_tenants_with_unsealed_audit(integer);
      DROP TABLE IF EXISTS audit_heads, audit_events, tokens, services, sessions, users, tenant_policies, tenants;
      DROP FUNCTION IF EXISTS custos_audit_append_only();
    `);
  }
}
