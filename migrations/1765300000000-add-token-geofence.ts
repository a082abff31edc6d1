import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A token's residency region and geofence. `geo_mode` off (the default: tokens issued before answer as
 * they did), monitor (uses outside the fence are flagged on their usage events) or enforce (they answer
 * GEO_BLOCKED). Codes are ISO 3166-1 alpha-2 countries and region groups (libs/domain/src/usage/regions.ts),
 * checked by the api; the database keeps them upper case.
 */
export class AddTokenGeofence1765300000000 implements MigrationInterface {
  name = 'AddTokenGeofence1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tokens
        ADD COLUMN geo_mode text NOT NULL DEFAULT 'off' CHECK (geo_mode IN ('off', 'monitor', 'enforce')),
        ADD COLUMN residency_region text CHECK (residency_region ~ '^[A-Z][A-Z0-9_-]{1,31}$'),
        ADD COLUMN allowed_regions text[] NOT NULL DEFAULT '{}' CHECK (cardinality(allowed_regions) <= 50),
        ADD COLUMN allowed_countries text[] NOT NULL DEFAULT '{}' CHECK (cardinality(allowed_countries) <= 250)
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tokens DROP COLUMN geo_mode, DROP COLUMN residency_region, DROP COLUMN allowed_regions, DROP COLUMN allowed_countries`);
  }
}
