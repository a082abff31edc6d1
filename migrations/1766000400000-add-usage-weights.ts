import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A usage event may stand for several uses: the verifies a service answered from its own cache (the
 * SDK) are reported as one entry per token, outcome, address and resource and the count of them
 * (`POST /v1/usage/report`), so that a service verifying 100,000 times a second does not ask for as
 * many rows. usage_events.uses is that count (1 for every event the api records itself), and the hourly
 * rollups add it up rather than counting rows.
 */
export class AddUsageWeights1766000400000 implements MigrationInterface {
  name = 'AddUsageWeights1766000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE usage_events ADD COLUMN uses integer NOT NULL DEFAULT 1 CONSTRAINT usage_events_uses_positive CHECK (uses > 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE usage_events DROP COLUMN uses`);
  }
}
