import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The installation itself, as one row:
 * - `id`, random: the api and the worker derive their Redis namespace from it at start-up (unless
 *   CUSTOS_QUEUE_PREFIX names one), so installations sharing a Redis never take each other's jobs.
 * - `operator_tenant_id`: the tenant that runs the installation (the queue dashboard spans every tenant).
 *   Set once, by the bootstrap of CUSTOS_ADMIN_EMAIL (or the embedded mode's first sign-up) in the
 *   transaction that creates the tenant, through a SECURITY DEFINER function that never overwrites it:
 *   the application role may read the row, not write it. An existing installation keeps the tenant it
 *   bootstrapped; one that never bootstrapped has none until CUSTOS_OPERATOR_TENANT_ID names it.
 *
 * And `custos_app` stops being a login role (it was created LOGIN without a password): the application
 * logs in as a role that is a member of it and switches to it in every transaction.
 */
export class AddInstallation1764900000000 implements MigrationInterface {
  name = 'AddInstallation1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE installation (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        id text NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', '') CHECK (id ~ '^[0-9a-f]{32}$'),
        operator_tenant_id text REFERENCES tenants (id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO installation (operator_tenant_id)
      SELECT (SELECT e.tenant_id FROM audit_events e
               WHERE e.action = 'tenant.created' AND e.data->>'via' = 'bootstrap'
               ORDER BY e.occurred_at, e.id LIMIT 1);

      CREATE FUNCTION custos_claim_operator_tenant(p_tenant_id text) RETURNS boolean
        LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
          WITH claimed AS (
            UPDATE installation SET operator_tenant_id = p_tenant_id WHERE operator_tenant_id IS NULL RETURNING 1
          )
          SELECT EXISTS (SELECT 1 FROM claimed)
        $$;
      REVOKE ALL ON FUNCTION custos_claim_operator_tenant(text) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION custos_claim_operator_tenant(text) TO custos_app;
      GRANT SELECT ON installation TO custos_app;
    `);
    // Roles belong to the whole server: the migration of another database may alter this one at the same
    // moment, and the later of the two then fails with "tuple concurrently updated" (internal_error),
    // harmless once the role cannot log in. Altering a role takes CREATEROLE: a schema owner without it
    // leaves the role as it was, and says so.
    await q.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'custos_app' AND rolcanlogin) THEN
          ALTER ROLE custos_app NOLOGIN;
        END IF;
      EXCEPTION
        WHEN insufficient_privilege THEN
          RAISE WARNING 'custos_app can still log in: run ALTER ROLE custos_app NOLOGIN as a role with CREATEROLE (see docs/operations.md)';
        WHEN internal_error THEN
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'custos_app' AND rolcanlogin) THEN RAISE; END IF;
      END $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER ROLE custos_app LOGIN;
      DROP FUNCTION IF EXISTS custos_claim_operator_tenant(text);
      DROP TABLE IF EXISTS installation;
    `);
  }
}
