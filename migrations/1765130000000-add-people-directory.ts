import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The people directory: per tenant, every user id there has been and the e-mail it had, so the ids on
 * tokens, consents, reports and audit events (created_by, revoked_by, requested_by, actor_id) read as
 * e-mails, for people removed since too.
 *
 * A directory beside `users` rather than soft-deleting users: removing a person still deletes the
 * account row, so every behaviour that rests on it stays as it is, by construction: a removed person
 * cannot log in (custos_resolve_login finds no row) and their sessions go with the row (ON DELETE
 * CASCADE); they are not in /v1/users, not among the owners the last-owner rule counts, nor in the
 * compliance evidence about accounts; and their e-mail can be registered again, since the unique index on
 * lower(users.email) only sees live accounts. Soft-deleting would put a `deleted_at IS NULL` into
 * each of those queries and make that index partial, and a query that forgot it would bring a removed
 * account back. The directory also keeps only what attribution needs (id and e-mail): the removed
 * person's password hash and role go with the account.
 *
 * The directory is written only by a trigger on `users` (insert, change of e-mail, delete: then it
 * records when the person was removed), SECURITY DEFINER, so every way an account comes into being is
 * covered and the application role may read the directory but never write it: an e-mail shown beside
 * an old event is the one that account had. Row-level security like every tenant table. No unique
 * e-mail here: a removed person's e-mail may come back as a new account, with a new id.
 *
 * Accounts removed before this migration are found in the audit trail: user.removed records the
 * e-mail it removed.
 */
export class AddPeopleDirectory1765130000000 implements MigrationInterface {
  name = 'AddPeopleDirectory1765130000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE people (
        tenant_id text NOT NULL REFERENCES tenants (id),
        id text NOT NULL,
        email text NOT NULL,
        removed_at timestamptz,
        PRIMARY KEY (tenant_id, id)
      );
      ALTER TABLE people ENABLE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON people
        USING (tenant_id = current_setting('app.tenant_id', true))
        WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
      GRANT SELECT ON people TO custos_app;

      INSERT INTO people (tenant_id, id, email) SELECT tenant_id, id, email FROM users;
      INSERT INTO people (tenant_id, id, email, removed_at)
      SELECT DISTINCT ON (e.tenant_id, e.target_id) e.tenant_id, e.target_id, e.data->>'email', e.occurred_at
        FROM audit_events e
       WHERE e.action = 'user.removed' AND e.target_type = 'user' AND e.target_id IS NOT NULL AND e.data ? 'email'
         AND NOT EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = e.tenant_id AND u.id = e.target_id)
       ORDER BY e.tenant_id, e.target_id, e.occurred_at DESC;

      CREATE FUNCTION custos_people_directory() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          UPDATE people SET removed_at = now() WHERE tenant_id = OLD.tenant_id AND id = OLD.id;
          RETURN OLD;
        END IF;
        INSERT INTO people (tenant_id, id, email) VALUES (NEW.tenant_id, NEW.id, NEW.email)
          ON CONFLICT (tenant_id, id) DO UPDATE SET email = EXCLUDED.email, removed_at = NULL;
        RETURN NEW;
      END $$;
      REVOKE ALL ON FUNCTION custos_people_directory() FROM PUBLIC;
      CREATE TRIGGER users_people_directory AFTER INSERT OR UPDATE OF email OR DELETE ON users
        FOR EACH ROW EXECUTE FUNCTION custos_people_directory();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER IF EXISTS users_people_directory ON users;
      DROP FUNCTION IF EXISTS custos_people_directory();
      DROP TABLE IF EXISTS people;
    `);
  }
}
