import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Compliance reports (docs/compliance.md). A report row is queued by the api and filled by the worker;
 * its file is stored as ordered parts of at most 1 MiB (compliance_report_parts), so the worker writes
 * and the api serves a report of any size without holding it in memory. Once done, a report and its
 * parts never change: the application role may only move a report through its statuses.
 */
export class AddComplianceReports1764700000000 implements MigrationInterface {
  name = 'AddComplianceReports1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE compliance_reports (
        tenant_id text NOT NULL REFERENCES tenants (id),
        id text NOT NULL,
        framework text NOT NULL CHECK (framework IN ('soc2', 'gdpr', 'hipaa', 'pci_dss', 'psd2')),
        period_from timestamptz NOT NULL,
        period_to timestamptz NOT NULL,
        format text NOT NULL CHECK (format IN ('json', 'csv', 'pdf')),
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
        requested_by text NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        size_bytes bigint,
        sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        -- Detached compact JWS (ES256) over the SHA-256, signed with the tenant's signing key.
        jws text,
        kid text,
        summary jsonb,
        error text,
        PRIMARY KEY (tenant_id, id),
        CHECK (period_to > period_from),
        CHECK (status <> 'done' OR (sha256 IS NOT NULL AND jws IS NOT NULL AND size_bytes IS NOT NULL))
      );
      CREATE INDEX compliance_reports_list_idx ON compliance_reports (tenant_id, requested_at DESC, id DESC);

      CREATE TABLE compliance_report_parts (
        tenant_id text NOT NULL,
        report_id text NOT NULL,
        part integer NOT NULL CHECK (part >= 0),
        data bytea NOT NULL,
        PRIMARY KEY (tenant_id, report_id, part),
        FOREIGN KEY (tenant_id, report_id) REFERENCES compliance_reports (tenant_id, id)
      );
    `);

    for (const table of ['compliance_reports', 'compliance_report_parts']) {
      await q.query(`
        ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON ${table}
          USING (tenant_id = current_setting('app.tenant_id', true))
          WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
      `);
    }

    await q.query(`
      GRANT SELECT, INSERT ON compliance_reports, compliance_report_parts TO custos_app;
      GRANT UPDATE (status, started_at, finished_at, size_bytes, sha256, jws, kid, summary, error)
        ON compliance_reports TO custos_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS compliance_report_parts, compliance_reports;`);
  }
}
