import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports whose generation job never reached the queue (Redis refused it after the request had
 * committed) stay queued; the worker finds them across tenants with this function and queues them
 * again. Row-level security hides other tenants from the application role, hence SECURITY DEFINER,
 * answering only tenant and report ids.
 */
export class AddStaleReportDiscovery1764800000000 implements MigrationInterface {
  name = 'AddStaleReportDiscovery1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX compliance_reports_queued_idx ON compliance_reports (requested_at) WHERE status = 'queued';

      CREATE FUNCTION custos_stale_queued_reports(p_older_than_seconds integer, p_limit integer)
        RETURNS TABLE (tenant_id text, id text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
          SELECT r.tenant_id, r.id FROM compliance_reports r
           WHERE r.status = 'queued' AND r.requested_at < now() - make_interval(secs => p_older_than_seconds)
           ORDER BY r.requested_at
           LIMIT p_limit
        $$;
      REVOKE ALL ON FUNCTION custos_stale_queued_reports(integer, integer) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION custos_stale_queued_reports(integer, integer) TO custos_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION IF EXISTS custos_stale_queued_reports(integer, integer);
      DROP INDEX IF EXISTS compliance_reports_queued_idx;
    `);
  }
}
