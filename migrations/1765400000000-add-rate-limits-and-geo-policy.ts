import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate limits and the tenant's geo policy.
 *
 * A token may carry a rate limit (`rate_limit` uses per `rate_limit_window_seconds`), counted per
 * rotation lineage; both set or neither. Windows end at a day: the in-process stand-in that counts while
 * Redis is away keeps its counts in timers.
 *
 * The tenant's policy gains the limit of requests per service key on the API (`api_rate_limit` per
 * `api_rate_window_seconds`) and its geo rules: the mode and residency new tokens get when they give
 * none, whether a use from an unknown location passes a geofence, rules by data category
 * (`geo_rules`: [{ dataCategories, mode, allowedRegions, allowedCountries }], applied with each token's
 * own geofence, the narrowest winning) and the tenant's own region groups (`region_groups`:
 * [{ code, name, countries }]). The api checks the shapes; the database keeps them bounded.
 *
 * Where a token has been used, for its view and the inventory's filters, kept by the same batched
 * write as last_used_at: the country of its latest use, every country it was used from (countries,
 * not addresses; its regions follow from them) and when it was last used across its residency's border.
 */
export class AddRateLimitsAndGeoPolicy1765400000000 implements MigrationInterface {
  name = 'AddRateLimitsAndGeoPolicy1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tokens
        ADD COLUMN rate_limit integer CHECK (rate_limit BETWEEN 1 AND 1000000),
        ADD COLUMN rate_limit_window_seconds integer CHECK (rate_limit_window_seconds BETWEEN 1 AND 86400),
        ADD CONSTRAINT tokens_rate_limit_whole CHECK ((rate_limit IS NULL) = (rate_limit_window_seconds IS NULL)),
        ADD COLUMN last_used_country text CHECK (last_used_country ~ '^[A-Z]{2}$'),
        ADD COLUMN countries_seen text[] NOT NULL DEFAULT '{}' CHECK (cardinality(countries_seen) <= 300),
        ADD COLUMN last_cross_border_at timestamptz;
      CREATE INDEX tokens_countries_seen_idx ON tokens USING gin (countries_seen);

      ALTER TABLE tenant_policies
        ADD COLUMN api_rate_limit integer NOT NULL DEFAULT 1200 CHECK (api_rate_limit BETWEEN 1 AND 1000000),
        ADD COLUMN api_rate_window_seconds integer NOT NULL DEFAULT 60 CHECK (api_rate_window_seconds BETWEEN 1 AND 86400),
        ADD COLUMN geo_default_mode text NOT NULL DEFAULT 'off' CHECK (geo_default_mode IN ('off', 'monitor', 'enforce')),
        ADD COLUMN geo_default_residency_region text CHECK (geo_default_residency_region ~ '^[A-Z][A-Z0-9_-]{1,31}$'),
        ADD COLUMN geo_unknown_location text NOT NULL DEFAULT 'allow' CHECK (geo_unknown_location IN ('allow', 'block')),
        ADD COLUMN geo_rules jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(geo_rules) = 'array' AND jsonb_array_length(geo_rules) <= 50),
        ADD COLUMN region_groups jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(region_groups) = 'array' AND jsonb_array_length(region_groups) <= 50);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tenant_policies DROP COLUMN api_rate_limit, DROP COLUMN api_rate_window_seconds, DROP COLUMN geo_default_mode,
        DROP COLUMN geo_default_residency_region, DROP COLUMN geo_unknown_location, DROP COLUMN geo_rules, DROP COLUMN region_groups;
      ALTER TABLE tokens DROP CONSTRAINT tokens_rate_limit_whole, DROP COLUMN rate_limit, DROP COLUMN rate_limit_window_seconds,
        DROP COLUMN last_used_country, DROP COLUMN countries_seen, DROP COLUMN last_cross_border_at;
    `);
  }
}
