import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook endpoints can be edited, disabled and have their signing secret rotated; a delivery can be
 * sent again. A rotated-out secret is kept sealed, like the current one, until its overlap ends: the
 * worker signs every delivery with both meanwhile, so receivers switch secrets without losing a message.
 * A re-sent delivery names the one it repeats.
 */
export class AddWebhookEndpointControls1765125000000 implements MigrationInterface {
  name = 'AddWebhookEndpointControls1765125000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE webhook_endpoints
        ADD COLUMN disabled_at timestamptz,
        ADD COLUMN updated_at timestamptz,
        ADD COLUMN secret_rotated_at timestamptz,
        ADD COLUMN previous_secret_sealed text,
        ADD COLUMN previous_secret_expires_at timestamptz,
        ADD CONSTRAINT webhook_endpoints_previous_secret_check
          CHECK ((previous_secret_sealed IS NULL) = (previous_secret_expires_at IS NULL));

      ALTER TABLE webhook_deliveries
        ADD COLUMN resent_from_id text,
        ADD CONSTRAINT webhook_deliveries_resent_from_fkey
          FOREIGN KEY (tenant_id, resent_from_id) REFERENCES webhook_deliveries (tenant_id, id);

      GRANT UPDATE (url, events, description, disabled_at, updated_at, secret_sealed, secret_rotated_at,
                    previous_secret_sealed, previous_secret_expires_at)
        ON webhook_endpoints TO custos_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      REVOKE UPDATE (url, events, description, disabled_at, updated_at, secret_sealed, secret_rotated_at,
                     previous_secret_sealed, previous_secret_expires_at)
        ON webhook_endpoints FROM custos_app;
      ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_resent_from_fkey, DROP COLUMN resent_from_id;
      ALTER TABLE webhook_endpoints
        DROP CONSTRAINT webhook_endpoints_previous_secret_check,
        DROP COLUMN disabled_at,
        DROP COLUMN updated_at,
        DROP COLUMN secret_rotated_at,
        DROP COLUMN previous_secret_sealed,
        DROP COLUMN previous_secret_expires_at;
    `);
  }
}
