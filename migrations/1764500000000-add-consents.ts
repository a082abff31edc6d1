import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consent windows. A consent keeps a stable id and its current window; every window it ever had is a
 * row of consent_versions, written once and never changed (a renewal adds one). Tokens may be bound
 * to a consent and carry the data categories they give access to; the tenant's policy names the
 * categories that need a consent. Withdrawal is final and recorded on the consent.
 */
export class AddConsents1764500000000 implements MigrationInterface {
  name = 'AddConsents1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE consents (
        tenant_id text NOT NULL REFERENCES tenants (id),
        id text NOT NULL,
        subject_ref text NOT NULL CHECK (length(subject_ref) BETWEEN 1 AND 200),
        purpose text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 100),
        data_categories text[] NOT NULL CHECK (cardinality(data_categories) > 0),
        lawful_basis text NOT NULL CHECK (lawful_basis IN
          ('consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests')),
        jurisdiction text NOT NULL,
        valid_from timestamptz NOT NULL,
        valid_until timestamptz NOT NULL,
        source text,
        version integer NOT NULL DEFAULT 1 CHECK (version > 0),
        withdrawn_at timestamptz,
        withdrawn_by text,
        withdrawn_reason text,
        -- When the worker expired the tokens bound to a window that had ended (null until then).
        expiry_swept_at timestamptz,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        CHECK (valid_until > valid_from)
      );
      CREATE INDEX consents_timeline_idx ON consents (tenant_id, valid_from DESC, id DESC);
      CREATE INDEX consents_subject_idx ON consents (tenant_id, subject_ref, valid_from DESC);
      CREATE INDEX consents_purpose_idx ON consents (tenant_id, purpose, valid_from DESC);
      -- Windows that ended with tokens possibly still bound: what the consent-expiry sweep looks for.
      CREATE INDEX consents_end_due_idx ON consents (tenant_id, valid_until)
        WHERE withdrawn_at IS NULL AND expiry_swept_at IS NULL;

      CREATE TABLE consent_versions (
        tenant_id text NOT NULL REFERENCES tenants (id),
        id text NOT NULL,
        consent_id text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        valid_from timestamptz NOT NULL,
        valid_until timestamptz NOT NULL,
        supersedes_id text,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, consent_id, version),
        FOREIGN KEY (tenant_id, consent_id) REFERENCES consents (tenant_id, id),
        FOREIGN KEY (tenant_id, supersedes_id) REFERENCES consent_versions (tenant_id, id)
      );

      ALTER TABLE tokens
        ADD COLUMN consent_id text,
        ADD COLUMN data_categories text[] NOT NULL DEFAULT '{}',
        ADD FOREIGN KEY (tenant_id, consent_id) REFERENCES consents (tenant_id, id);
      CREATE INDEX tokens_consent_idx ON tokens (tenant_id, consent_id) WHERE consent_id IS NOT NULL;

      ALTER TABLE tenant_policies
        ADD COLUMN require_consent_for text[] NOT NULL DEFAULT '{personal,health}';
    `);

    for (const table of ['consents', 'consent_versions']) {
      await q.query(`
        ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON ${table}
          USING (tenant_id = current_setting('app.tenant_id', true))
          WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
      `);
    }

    await q.query(`
      CREATE FUNCTION custos_tenants_with_ended_consents(p_limit integer) RETURNS SETOF text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
          SELECT t.id FROM tenants t
           WHERE EXISTS (SELECT 1 FROM consents c
                          WHERE c.tenant_id = t.id AND c.withdrawn_at IS NULL AND c.expiry_swept_at IS NULL
                            AND c.valid_until <= now())
           LIMIT p_limit
        $$;
      REVOKE ALL ON FUNCTION custos_tenants_with_ended_consents(integer) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION custos_tenants_with_ended_consents(integer) TO custos_app;

      -- Versions are history: inserted, never updated. Consents change only in these columns.
      GRANT SELECT, INSERT ON consents, consent_versions TO custos_app;
      GRANT UPDATE (valid_until, version, withdrawn_at, withdrawn_by, withdrawn_reason, expiry_swept_at, updated_at)
        ON consents TO custos_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION IF EXISTS custos_tenants_with_ended_consents(integer);
      ALTER TABLE tenant_policies DROP COLUMN IF EXISTS require_consent_for;
      DROP INDEX IF EXISTS tokens_consent_idx;
      ALTER TABLE tokens DROP COLUMN IF EXISTS consent_id, DROP COLUMN IF EXISTS data_categories;
      DROP TABLE IF EXISTS consent_versions, consents;
    `);
  }
}
