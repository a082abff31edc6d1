import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stewardship (issue 17): every token and service has a steward, a user of its tenant accountable for
 * it. Removing a user who stewards anything hands it to a successor in the same transaction
 * (UsersService.remove), so a steward never disappears.
 *
 * Existing rows get the user who created them, else (a token issued by a service key) the steward of
 * that key's service, else the tenant's first owner. A trigger gives new rows the same default when the
 * application names no steward, so every way a token is made (issue, rotation, sweeps) gets one.
 */
export class AddStewardship1765800000000 implements MigrationInterface {
  name = 'AddStewardship1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE services ADD COLUMN steward_user_id text;
      ALTER TABLE tokens ADD COLUMN steward_user_id text;

      -- The first of: the creator when a user; the creator key's service's steward, or the key's own steward; the tenant's first owner.
      CREATE FUNCTION custos_default_steward(p_tenant text, p_created_by text) RETURNS text
        LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
          SELECT coalesce(
            (SELECT u.id FROM users u WHERE u.tenant_id = p_tenant AND u.id = p_created_by),
            (SELECT coalesce(s.steward_user_id, k.steward_user_id) FROM tokens k
               LEFT JOIN services s ON s.tenant_id = k.tenant_id AND s.id = k.owner_service_id
              WHERE k.tenant_id = p_tenant AND k.id = p_created_by),
            (SELECT u.id FROM users u WHERE u.tenant_id = p_tenant AND u.role = 'owner' ORDER BY u.created_at, u.id LIMIT 1))
        $$;

      CREATE FUNCTION custos_steward_by_default() RETURNS trigger
        LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
        BEGIN
          IF NEW.steward_user_id IS NULL THEN
            NEW.steward_user_id := custos_default_steward(NEW.tenant_id, NEW.created_by);
          END IF;
          RETURN NEW;
        END $$;

      UPDATE services SET steward_user_id = custos_default_steward(tenant_id, created_by);
      -- Users first, then keys whose own steward is now known, then the rest.
      UPDATE tokens SET steward_user_id = custos_default_steward(tenant_id, created_by)
       WHERE created_by IN (SELECT id FROM users WHERE users.tenant_id = tokens.tenant_id);
      UPDATE tokens SET steward_user_id = custos_default_steward(tenant_id, created_by) WHERE steward_user_id IS NULL;

      CREATE TRIGGER services_steward_by_default BEFORE INSERT ON services FOR EACH ROW EXECUTE FUNCTION custos_steward_by_default();
      CREATE TRIGGER tokens_steward_by_default BEFORE INSERT ON tokens FOR EACH ROW EXECUTE FUNCTION custos_steward_by_default();

      CREATE INDEX services_steward_idx ON services (tenant_id, steward_user_id);
      CREATE INDEX tokens_steward_idx ON tokens (tenant_id, steward_user_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER IF EXISTS tokens_steward_by_default ON tokens;
      DROP TRIGGER IF EXISTS services_steward_by_default ON services;
      DROP FUNCTION IF EXISTS custos_steward_by_default(), custos_default_steward(text, text);
      ALTER TABLE tokens DROP COLUMN IF EXISTS steward_user_id;
      ALTER TABLE services DROP COLUMN IF EXISTS steward_user_id;
    `);
  }
}
