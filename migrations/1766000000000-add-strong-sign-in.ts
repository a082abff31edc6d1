import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_ISOLATION = `USING (tenant_id = current_setting('app.tenant_id', true))
          WITH CHECK (tenant_id = current_setting('app.tenant_id', true))`;

/**
 * Strong sign-in for the people who issue tokens (docs/authentication.md).
 *
 * - users: a TOTP secret (sealed; the pending one while enrolment waits for its first code), the last
 *   time step accepted (a code is good once), hashed recovery codes, and whether a password someone
 *   else chose must be changed at the next log-in, and the countries the person signed in from (a new one
 *   raises a new_country_sign_in alert).
 * - sessions: when it was last used and when its person last passed an MFA check (step-up), how it
 *   started, what it may do while enrolment or a password change is owed, and where it came from
 *   (the device as its browser names it, the address's network prefix and country: never the address).
 * - login_challenges: a log-in whose password was right but whose second factor is still owed, found by
 *   the hash of its one-time mfaToken.
 * - tenant_policies.auth: MFA required for roles, step-up window, idle and absolute session limits.
 */
export class AddStrongSignIn1766000000000 implements MigrationInterface {
  name = 'AddStrongSignIn1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users
        ADD COLUMN totp_secret_sealed text,
        ADD COLUMN totp_pending_secret_sealed text,
        ADD COLUMN totp_enabled_at timestamptz,
        ADD COLUMN totp_last_step bigint,
        ADD COLUMN recovery_code_hashes text[] NOT NULL DEFAULT '{}',
        ADD COLUMN password_change_required boolean NOT NULL DEFAULT false,
        ADD COLUMN sign_in_countries text[] NOT NULL DEFAULT '{}',
        ADD CONSTRAINT users_totp_enabled CHECK ((totp_enabled_at IS NULL) = (totp_secret_sealed IS NULL));

      ALTER TABLE sessions
        ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN mfa_at timestamptz,
        ADD COLUMN method text NOT NULL DEFAULT 'password' CHECK (method IN ('password', 'signup', 'sso', 'invitation')),
        ADD COLUMN restriction text CHECK (restriction IN ('mfa_enrolment', 'password_change')),
        ADD COLUMN device text CHECK (char_length(device) <= 200),
        ADD COLUMN ip_prefix text,
        ADD COLUMN country text;
      CREATE INDEX sessions_user_idx ON sessions (tenant_id, user_id, created_at DESC);

      ALTER TABLE tenant_policies
        ADD COLUMN auth jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(auth) = 'object');

      CREATE TABLE login_challenges (
        tenant_id text NOT NULL,
        id text NOT NULL,
        user_id text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        attempts integer NOT NULL DEFAULT 0,
        webauthn_challenge text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
      );
      ALTER TABLE login_challenges ENABLE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON login_challenges
        ${TENANT_ISOLATION};

      DROP FUNCTION custos_resolve_session(text);
      -- The session's facts and its tenant's auth policy: the caller applies the idle and absolute limits.
      CREATE FUNCTION custos_resolve_session(p_token_hash text)
        RETURNS TABLE (tenant_id text, session_id text, user_id text, email text, role text, created_at timestamptz,
                       last_seen_at timestamptz, mfa_at timestamptz, restriction text, has_mfa boolean, auth jsonb)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
        $$ SELECT s.tenant_id, s.id, u.id, u.email, u.role, s.created_at, s.last_seen_at, s.mfa_at, s.restriction,
                  u.totp_enabled_at IS NOT NULL, p.auth
             FROM sessions s
             JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
             JOIN tenant_policies p ON p.tenant_id = s.tenant_id
            WHERE s.token_hash = p_token_hash AND s.expires_at > now() $$;
      CREATE FUNCTION custos_resolve_login_challenge(p_token_hash text) RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
        $$ SELECT tenant_id FROM login_challenges WHERE token_hash = p_token_hash AND expires_at > now() $$;
      REVOKE ALL ON FUNCTION custos_resolve_session(text), custos_resolve_login_challenge(text) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION custos_resolve_session(text), custos_resolve_login_challenge(text) TO custos_app;

      GRANT UPDATE (last_seen_at, mfa_at, restriction) ON sessions TO custos_app;
      GRANT SELECT, INSERT, UPDATE, DELETE ON login_challenges TO custos_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION custos_resolve_login_challenge(text);
      DROP FUNCTION custos_resolve_session(text);
      CREATE FUNCTION custos_resolve_session(p_token_hash text)
        RETURNS TABLE (tenant_id text, session_id text, user_id text, email text, role text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
        $$ SELECT s.tenant_id, s.id, u.id, u.email, u.role
             FROM sessions s JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
            WHERE s.token_hash = p_token_hash AND s.expires_at > now() $$;
      REVOKE ALL ON FUNCTION custos_resolve_session(text) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION custos_resolve_session(text) TO custos_app;
      DROP TABLE login_challenges;
      ALTER TABLE tenant_policies DROP COLUMN auth;
      DROP INDEX sessions_user_idx;
      ALTER TABLE sessions DROP COLUMN last_seen_at, DROP COLUMN mfa_at, DROP COLUMN method, DROP COLUMN restriction,
        DROP COLUMN device, DROP COLUMN ip_prefix, DROP COLUMN country;
      ALTER TABLE users DROP CONSTRAINT users_totp_enabled, DROP COLUMN totp_secret_sealed, DROP COLUMN totp_pending_secret_sealed,
        DROP COLUMN totp_enabled_at, DROP COLUMN totp_last_step, DROP COLUMN recovery_code_hashes, DROP COLUMN password_change_required,
        DROP COLUMN sign_in_countries;
    `);
  }
}
