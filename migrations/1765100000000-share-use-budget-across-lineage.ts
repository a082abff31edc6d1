import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A token's uses are one budget across its rotation lineage (docs/api.md, "Use limits"): the count is
 * kept on the lineage's root token alone, so a successor and its predecessor in its grace period draw
 * on the same uses instead of each holding a copy. Lineages rotated before this change may hold
 * diverging copies; the smallest is kept, which never gives a use back.
 */
export class ShareUseBudgetAcrossLineage1765100000000 implements MigrationInterface {
  name = 'ShareUseBudgetAcrossLineage1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      WITH budgets AS (
        SELECT tenant_id, root_id, min(remaining_uses) AS remaining
          FROM tokens WHERE remaining_uses IS NOT NULL GROUP BY tenant_id, root_id
      )
      UPDATE tokens t SET remaining_uses = CASE WHEN t.id = t.root_id THEN b.remaining END
        FROM budgets b
       WHERE t.tenant_id = b.tenant_id AND t.root_id = b.root_id;

      ALTER TABLE tokens ADD CONSTRAINT tokens_use_budget_on_root CHECK (remaining_uses IS NULL OR id = root_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tokens DROP CONSTRAINT IF EXISTS tokens_use_budget_on_root;
      UPDATE tokens t SET remaining_uses = r.remaining_uses
        FROM tokens r
       WHERE t.tenant_id = r.tenant_id AND r.id = t.root_id AND t.id <> t.root_id AND t.max_uses IS NOT NULL;
    `);
  }
}
