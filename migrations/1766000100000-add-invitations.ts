import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invitations (docs/security.md#invitations): a person is asked to join a tenant with a role by a one-time
 * link, valid 72 hours, and chooses their own password on accepting it. Only the SHA-256 of the link's
 * token is stored. At most one invitation per e-mail waits in a tenant (a new one revokes the old);
 * custos_resolve_invitation finds the tenant of a pending one from the token's hash, before any tenant is known.
 */
export class AddInvitations1766000100000 implements MigrationInterface {
  name = 'AddInvitations1766000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE invitations (
        tenant_id text NOT NULL REFERENCES tenants (id),
        id text NOT NULL,
        email text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
        role text NOT NULL CHECK (role IN ('owner', 'admin', 'operator', 'auditor', 'viewer')),
        token_hash text NOT NULL UNIQUE,
        invited_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz,
        accepted_user_id text,
        revoked_at timestamptz,
        PRIMARY KEY (tenant_id, id),
        CHECK ((accepted_at IS NULL) = (accepted_user_id IS NULL)),
        CHECK (accepted_at IS NULL OR revoked_at IS NULL)
      );
      CREATE UNIQUE INDEX invitations_pending_email ON invitations (tenant_id, lower(email)) WHERE accepted_at IS NULL AND revoked_at IS NULL;
      CREATE INDEX invitations_list_idx ON invitations (tenant_id, created_at DESC, id DESC);

      ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON invitations
        USING (tenant_id = current_setting('app.tenant_id', true))
        WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

      -- The tenant of a pending, unexpired invitation, from its token's hash (the accept page knows no tenant).
      CREATE FUNCTION custos_resolve_invitation(p_token_hash text) RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
        $$ SELECT tenant_id FROM invitations
            WHERE token_hash = p_token_hash AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now() $$;
      REVOKE ALL ON FUNCTION custos_resolve_invitation(text) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION custos_resolve_invitation(text) TO custos_app;

      GRANT SELECT, INSERT ON invitations TO custos_app;
      GRANT UPDATE (accepted_at, accepted_user_id, revoked_at) ON invitations TO custos_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION IF EXISTS custos_resolve_invitation(text);
      DROP TABLE IF EXISTS invitations;
    `);
  }
}
