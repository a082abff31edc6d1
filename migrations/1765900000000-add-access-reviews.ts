import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_ISOLATION = `USING (tenant_id = current_setting('app.tenant_id', true))
          WITH CHECK (tenant_id = current_setting('app.tenant_id', true))`;

/**
 * Access reviews (docs/access-reviews.md).
 *
 * - token_scope_uses: when each scope of a token was last asked for by a VALID verify, written with the
 *   usage flush (one row per token and scope), so a reviewer sees which scopes are used.
 * - access_review_campaigns / access_review_items: a campaign and its items, one per token active and in
 *   scope when it opened. An item's token facts (name, scopes, steward) are copied at opening: the report
 *   shows what was reviewed, whatever happened to the token since. A scheduled campaign carries the
 *   period it was opened for, unique per tenant, so two workers never open the same one.
 * - tenant_policies.reviews: the schedule and defaults (libs/domain reviewPolicyOf), with the instant the
 *   schedule counts its periods from.
 * - compliance_reports.campaign_id: a campaign's report goes through the report machinery (parts, signature);
 *   it has no framework.
 */
export class AddAccessReviews1765900000000 implements MigrationInterface {
  name = 'AddAccessReviews1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE token_scope_uses (
        tenant_id text NOT NULL,
        token_id text NOT NULL,
        scope text NOT NULL,
        last_used_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, token_id, scope)
      );

      ALTER TABLE tenant_policies
        ADD COLUMN reviews jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(reviews) = 'object'),
        ADD COLUMN reviews_anchor_at timestamptz;

      CREATE TABLE access_review_campaigns (
        tenant_id text NOT NULL REFERENCES tenants (id),
        id text NOT NULL,
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
        scope jsonb NOT NULL,
        reviewer jsonb NOT NULL,
        on_overdue text NOT NULL CHECK (on_overdue IN ('none', 'suspend', 'revoke')),
        separation_of_duties boolean NOT NULL,
        due_at timestamptz NOT NULL,
        remind_at timestamptz,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        scheduled_for timestamptz,
        reminded_at timestamptz,
        overdue_applied_at timestamptz,
        closed_at timestamptz,
        closed_by text,
        report_ids jsonb,
        PRIMARY KEY (tenant_id, id),
        CHECK (status = 'open' OR closed_at IS NOT NULL)
      );
      CREATE UNIQUE INDEX access_review_campaigns_scheduled ON access_review_campaigns (tenant_id, scheduled_for) WHERE scheduled_for IS NOT NULL;
      CREATE INDEX access_review_campaigns_list_idx ON access_review_campaigns (tenant_id, created_at DESC, id DESC);
      CREATE INDEX access_review_campaigns_open_idx ON access_review_campaigns (due_at) WHERE status = 'open';

      CREATE TABLE access_review_items (
        tenant_id text NOT NULL,
        id text NOT NULL,
        campaign_id text NOT NULL,
        token_id text NOT NULL,
        token_name text NOT NULL,
        token_scopes text[] NOT NULL,
        steward_user_id text,
        -- null: any owner or admin reviews it (no steward, or separation of duties).
        reviewer_user_id text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'decided', 'overdue')),
        decision text CHECK (decision IN ('keep', 'narrow', 'revoke')),
        decided_scopes text[],
        comment text CHECK (char_length(comment) <= 2000),
        decided_by text,
        decided_at timestamptz,
        effect text,
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, campaign_id, token_id),
        FOREIGN KEY (tenant_id, campaign_id) REFERENCES access_review_campaigns (tenant_id, id),
        CHECK ((status = 'decided') = (decision IS NOT NULL))
      );
      CREATE INDEX access_review_items_campaign_idx ON access_review_items (tenant_id, campaign_id, id);
      CREATE INDEX access_review_items_reviewer_idx ON access_review_items (tenant_id, reviewer_user_id, status, id);

      ALTER TABLE compliance_reports
        ADD COLUMN campaign_id text,
        ALTER COLUMN framework DROP NOT NULL,
        ADD CONSTRAINT compliance_reports_subject CHECK ((framework IS NULL) = (campaign_id IS NOT NULL));
    `);

    for (const table of ['token_scope_uses', 'access_review_campaigns', 'access_review_items']) {
      await q.query(`
        ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON ${table}
          ${TENANT_ISOLATION};
      `);
    }

    await q.query(`
      -- Tenants with review work due: a scheduled campaign to open, a reminder to send, overdue items to act on.
      CREATE FUNCTION custos_tenants_with_due_reviews(p_now timestamptz, p_limit integer) RETURNS SETOF text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
          SELECT tenant_id FROM (
            SELECT p.tenant_id FROM tenant_policies p
             WHERE p.reviews_anchor_at IS NOT NULL AND (p.reviews ->> 'intervalDays') IS NOT NULL
               AND NOT EXISTS (
                 SELECT 1 FROM access_review_campaigns c
                  WHERE c.tenant_id = p.tenant_id AND c.scheduled_for IS NOT NULL
                    AND c.scheduled_for > p_now - make_interval(days => (p.reviews ->> 'intervalDays')::int))
            UNION
            SELECT c.tenant_id FROM access_review_campaigns c
             WHERE c.status = 'open'
               AND ((c.remind_at <= p_now AND c.reminded_at IS NULL) OR c.due_at <= p_now)
          ) due LIMIT p_limit
        $$;
      REVOKE ALL ON FUNCTION custos_tenants_with_due_reviews(timestamptz, integer) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION custos_tenants_with_due_reviews(timestamptz, integer) TO custos_app;

      GRANT SELECT, INSERT, UPDATE ON token_scope_uses TO custos_app;
      GRANT SELECT, INSERT ON access_review_campaigns, access_review_items TO custos_app;
      GRANT UPDATE (status, reminded_at, overdue_applied_at, closed_at, closed_by, report_ids) ON access_review_campaigns TO custos_app;
      GRANT UPDATE (status, decision, decided_scopes, comment, decided_by, decided_at, effect, reviewer_user_id) ON access_review_items TO custos_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION IF EXISTS custos_tenants_with_due_reviews(timestamptz, integer);
      DELETE FROM compliance_report_parts p USING compliance_reports r WHERE r.tenant_id = p.tenant_id AND r.id = p.report_id AND r.campaign_id IS NOT NULL;
      DELETE FROM compliance_reports WHERE campaign_id IS NOT NULL;
      ALTER TABLE compliance_reports DROP CONSTRAINT IF EXISTS compliance_reports_subject, DROP COLUMN IF EXISTS campaign_id,
        ALTER COLUMN framework SET NOT NULL;
      DROP TABLE IF EXISTS access_review_items, access_review_campaigns, token_scope_uses;
      ALTER TABLE tenant_policies DROP COLUMN IF EXISTS reviews, DROP COLUMN IF EXISTS reviews_anchor_at;
    `);
  }
}
