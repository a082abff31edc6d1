import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the dashboard's inventory and overview (GET /v1/inventory, GET /v1/overview), so a tenant
 * with hundreds of thousands of tokens gets any page, sorted any supported way, from an index range:
 * - sort by expiry and by last use, each with the id as tie-breaker for keyset paging (created-at
 *   order already has tokens_inventory_idx); never-used tokens sort as -infinity, the same expression
 *   the query orders by;
 * - prefix search by lookup id (its unique index, rebuilt with text_pattern_ops, serves equality too)
 *   and by name in any case. Under row-level security only leakproof
 *   conditions may use an index, and lower() and LIKE are not; starts_with() on a stored lower-cased
 *   column is (`name_search`, generated, never written by the application);
 * - revocations per day on the overview.
 */
export class AddInventoryIndexes1764300000000 implements MigrationInterface {
  name = 'AddInventoryIndexes1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX tokens_inventory_expires_idx ON tokens (tenant_id, expires_at, id);
      CREATE INDEX tokens_inventory_last_used_idx ON tokens (tenant_id, (coalesce(last_used_at, '-infinity'::timestamptz)), id);
      -- One index for both: verify's equality lookups and the inventory's prefix search.
      CREATE UNIQUE INDEX tokens_lookup_id_pattern_key ON tokens (lookup_id text_pattern_ops);
      ALTER TABLE tokens DROP CONSTRAINT tokens_lookup_id_key;
      ALTER TABLE tokens ADD COLUMN name_search text GENERATED ALWAYS AS (lower(name)) STORED;
      CREATE INDEX tokens_name_search_idx ON tokens (tenant_id, name_search text_pattern_ops);
      CREATE INDEX tokens_revoked_at_idx ON tokens (tenant_id, revoked_at) WHERE revoked_at IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX IF EXISTS tokens_revoked_at_idx;
      DROP INDEX IF EXISTS tokens_name_search_idx;
      ALTER TABLE tokens DROP COLUMN IF EXISTS name_search;
      ALTER TABLE tokens ADD CONSTRAINT tokens_lookup_id_key UNIQUE (lookup_id);
      DROP INDEX IF EXISTS tokens_lookup_id_pattern_key;
      DROP INDEX IF EXISTS tokens_inventory_last_used_idx;
      DROP INDEX IF EXISTS tokens_inventory_expires_idx;
    `);
  }
}
