import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_ISOLATION = `USING (tenant_id = current_setting('app.tenant_id', true))
          WITH CHECK (tenant_id = current_setting('app.tenant_id', true))`;

/**
 * Passkeys (WebAuthn) as a second factor (docs/authentication.md#passkeys).
 *
 * - webauthn_credentials: a person's registered authenticators: the credential id (base64url, unique
 *   everywhere, as WebAuthn asks), its COSE public key, the signature counter last seen, how it can be
 *   reached (transports), whether it is a synced passkey (device_type, backed_up), the name its person
 *   gave it and when it was last used. Never a secret: the private key stays in the authenticator.
 * - sessions.webauthn_challenge: the one challenge a session is waiting for (registering a passkey, or a
 *   step-up by passkey), with its purpose and end; consumed by the answer, right or wrong.
 * - custos_resolve_session: has_mfa is true for a person with TOTP or at least one passkey.
 */
export class AddPasskeys1766000300000 implements MigrationInterface {
  name = 'AddPasskeys1766000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webauthn_credentials (
        tenant_id text NOT NULL,
        id text NOT NULL,
        user_id text NOT NULL,
        credential_id text NOT NULL UNIQUE CHECK (credential_id ~ '^[A-Za-z0-9_-]+$' AND char_length(credential_id) <= 1400),
        public_key bytea NOT NULL,
        counter bigint NOT NULL DEFAULT 0 CHECK (counter >= 0),
        transports text[] NOT NULL DEFAULT '{}',
        device_type text NOT NULL CHECK (device_type IN ('singleDevice', 'multiDevice')),
        backed_up boolean NOT NULL DEFAULT false,
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
      );
      CREATE INDEX webauthn_credentials_user_idx ON webauthn_credentials (tenant_id, user_id, created_at);
      ALTER TABLE webauthn_credentials ENABLE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON webauthn_credentials
        ${TENANT_ISOLATION};
      GRANT SELECT, INSERT, DELETE ON webauthn_credentials TO custos_app;
      GRANT UPDATE (counter, name, last_used_at, backed_up) ON webauthn_credentials TO custos_app;

      ALTER TABLE sessions
        ADD COLUMN webauthn_challenge text,
        ADD COLUMN webauthn_challenge_purpose text CHECK (webauthn_challenge_purpose IN ('registration', 'step_up')),
        ADD COLUMN webauthn_challenge_expires_at timestamptz,
        ADD CONSTRAINT sessions_webauthn_challenge CHECK (
          (webauthn_challenge IS NULL) = (webauthn_challenge_purpose IS NULL) AND (webauthn_challenge IS NULL) = (webauthn_challenge_expires_at IS NULL));
      GRANT UPDATE (webauthn_challenge, webauthn_challenge_purpose, webauthn_challenge_expires_at) ON sessions TO custos_app;

      CREATE OR REPLACE FUNCTION custos_resolve_session(p_token_hash text)
        RETURNS TABLE (tenant_id text, session_id text, user_id text, email text, role text, created_at timestamptz,
                       last_seen_at timestamptz, mfa_at timestamptz, restriction text, has_mfa boolean, auth jsonb)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
        $$ SELECT s.tenant_id, s.id, u.id, u.email, u.role, s.created_at, s.last_seen_at, s.mfa_at, s.restriction,
                  u.totp_enabled_at IS NOT NULL
                    OR EXISTS (SELECT 1 FROM webauthn_credentials w WHERE w.tenant_id = u.tenant_id AND w.user_id = u.id),
                  p.auth
             FROM sessions s
             JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
             JOIN tenant_policies p ON p.tenant_id = s.tenant_id
            WHERE s.token_hash = p_token_hash AND s.expires_at > now() $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION custos_resolve_session(p_token_hash text)
        RETURNS TABLE (tenant_id text, session_id text, user_id text, email text, role text, created_at timestamptz,
                       last_seen_at timestamptz, mfa_at timestamptz, restriction text, has_mfa boolean, auth jsonb)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
        $$ SELECT s.tenant_id, s.id, u.id, u.email, u.role, s.created_at, s.last_seen_at, s.mfa_at, s.restriction,
                  u.totp_enabled_at IS NOT NULL, p.auth
             FROM sessions s
             JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
             JOIN tenant_policies p ON p.tenant_id = s.tenant_id
            WHERE s.token_hash = p_token_hash AND s.expires_at > now() $$;
      ALTER TABLE sessions DROP CONSTRAINT sessions_webauthn_challenge, DROP COLUMN webauthn_challenge,
        DROP COLUMN webauthn_challenge_purpose, DROP COLUMN webauthn_challenge_expires_at;
      DROP TABLE webauthn_credentials;
    `);
  }
}
