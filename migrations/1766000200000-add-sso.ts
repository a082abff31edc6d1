import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_ISOLATION = `USING (tenant_id = current_setting('app.tenant_id', true))
          WITH CHECK (tenant_id = current_setting('app.tenant_id', true))`;

/**
 * Single sign-on with OpenID Connect (docs/authentication.md#single-sign-on-oidc).
 *
 * - tenants.slug: what a person types to sign in with their organization's IdP (GET
 *   /v1/auth/sso/:tenantSlug/start). Existing tenants get one from their name, with a short suffix where
 *   two names meet; new tenants get one at sign-up (TenantRepository.insert).
 * - sso_configs: one IdP per tenant. The client secret is sealed (SecretBox, purpose 'sso-client-secret',
 *   context the tenant id): Custos must send it back to the IdP, so it cannot be a hash. enforce turns
 *   password log-in off for everyone but the break-glass owner. No foreign key to that owner: removing
 *   them must not fail; password log-in then stays off for everyone and SSO still signs owners in.
 * - sso_login_states: sign-ins on their way through the IdP (state, nonce, PKCE code verifier), ten
 *   minutes, taken once. In Postgres rather than Redis: the api runs without Redis when the queues are on
 *   Postgres (CUSTOS_QUEUE_BACKEND=postgres), and a row in the tenant's transaction is taken once by a
 *   DELETE … RETURNING. Only the state's SHA-256 is kept (the browser holds the state in a cookie too);
 *   the code verifier is sealed. Found across tenants by custos_resolve_sso_state(hash), as sessions are.
 */
export class AddSso1766000200000 implements MigrationInterface {
  name = 'AddSso1766000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tenants ADD COLUMN slug text;
      WITH base AS (
        SELECT id, created_at,
               coalesce(nullif(trim(BOTH '-' FROM left(regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g'), 40)), ''), 'org') AS slug
          FROM tenants
      ), ranked AS (
        SELECT id, slug, row_number() OVER (PARTITION BY slug ORDER BY created_at, id) AS n FROM base
      )
      UPDATE tenants t
         SET slug = CASE WHEN r.n = 1 THEN r.slug ELSE r.slug || '-' || left(md5(t.id), 6) END
        FROM ranked r WHERE r.id = t.id;
      -- A tenant made without one (a test's fixture, SQL by hand) gets a random slug; the api always
      -- gives it one from the name (TenantRepository.insert).
      ALTER TABLE tenants
        ALTER COLUMN slug SET DEFAULT 'org-' || substr(md5(random()::text || clock_timestamp()::text), 1, 12),
        ALTER COLUMN slug SET NOT NULL,
        ADD CONSTRAINT tenants_slug_shape CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
        ADD CONSTRAINT tenants_slug_key UNIQUE (slug);

      CREATE TABLE sso_configs (
        tenant_id text PRIMARY KEY REFERENCES tenants (id),
        issuer text NOT NULL CHECK (char_length(issuer) BETWEEN 1 AND 2048),
        client_id text NOT NULL CHECK (char_length(client_id) BETWEEN 1 AND 512),
        client_secret_sealed text NOT NULL,
        role_claim text CHECK (char_length(role_claim) BETWEEN 1 AND 200),
        role_mapping jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(role_mapping) = 'object'),
        default_role text NOT NULL CHECK (default_role IN ('owner', 'admin', 'operator', 'auditor', 'viewer')),
        enforce boolean NOT NULL DEFAULT false,
        break_glass_user_id text,
        -- The latest test sign-in's outcome (claims received, the role they map to, or what went wrong).
        last_test jsonb,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL,
        CHECK (NOT enforce OR break_glass_user_id IS NOT NULL)
      );

      CREATE TABLE sso_login_states (
        tenant_id text NOT NULL REFERENCES tenants (id),
        state_hash text NOT NULL UNIQUE,
        nonce text NOT NULL,
        code_verifier_sealed text NOT NULL,
        -- A test sign-in started by this owner or admin: it reports what the IdP sent and creates nothing.
        test_by_user_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, state_hash)
      );
      CREATE INDEX sso_login_states_expiry_idx ON sso_login_states (tenant_id, expires_at);
    `);

    for (const table of ['sso_configs', 'sso_login_states']) {
      await q.query(`
        ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON ${table}
          ${TENANT_ISOLATION};
      `);
    }

    await q.query(`
      CREATE FUNCTION custos_resolve_tenant_slug(p_slug text) RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
        $$ SELECT id FROM tenants WHERE slug = lower(p_slug) $$;
      CREATE FUNCTION custos_resolve_sso_state(p_state_hash text) RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
        $$ SELECT tenant_id FROM sso_login_states WHERE state_hash = p_state_hash AND expires_at > now() $$;
      REVOKE ALL ON FUNCTION custos_resolve_tenant_slug(text), custos_resolve_sso_state(text) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION custos_resolve_tenant_slug(text), custos_resolve_sso_state(text) TO custos_app;

      GRANT SELECT, INSERT, UPDATE, DELETE ON sso_configs TO custos_app;
      GRANT SELECT, INSERT, DELETE ON sso_login_states TO custos_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION IF EXISTS custos_resolve_sso_state(text), custos_resolve_tenant_slug(text);
      DROP TABLE IF EXISTS sso_login_states, sso_configs;
      ALTER TABLE tenants DROP CONSTRAINT IF EXISTS tenants_slug_key, DROP CONSTRAINT IF EXISTS tenants_slug_shape, DROP COLUMN IF EXISTS slug;
    `);
  }
}
