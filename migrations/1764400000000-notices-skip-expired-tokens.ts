import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A token past its expiry that the expiry sweep has not reached yet is still `active` in its row; it
 * must get neither an "expiring soon" notice nor an unused-token warning or suspension. The sweeps
 * check it themselves; tenant discovery does too, so it does not name tenants with nothing to do.
 */
export class NoticesSkipExpiredTokens1764400000000 implements MigrationInterface {
  name = 'NoticesSkipExpiredTokens1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(discovery(true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(discovery(false));
  }
}

function discovery(skipExpired: boolean): string {
  const alive = skipExpired ? 'AND k.expires_at > now()' : '';
  return `
    CREATE OR REPLACE FUNCTION custos_tenants_with_due_tokens(p_kind text, p_limit integer) RETURNS SETOF text
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        SELECT t.id FROM tenants t
         WHERE CASE p_kind
           WHEN 'expire' THEN EXISTS (SELECT 1 FROM tokens k WHERE k.tenant_id = t.id
                AND k.status IN ('active', 'suspended') AND k.expires_at <= now())
           WHEN 'grace_end' THEN EXISTS (SELECT 1 FROM tokens k WHERE k.tenant_id = t.id
                AND k.status = 'rotating' AND k.grace_ends_at <= now())
           WHEN 'rotate' THEN EXISTS (SELECT 1 FROM tokens k WHERE k.tenant_id = t.id
                AND k.status = 'active' AND k.next_rotation_at IS NOT NULL AND k.next_rotation_at <= now())
           WHEN 'expiry_notice' THEN EXISTS (SELECT 1 FROM tokens k WHERE k.tenant_id = t.id
                AND k.status IN ('active', 'suspended') AND k.expiry_notice_at IS NOT NULL AND k.expiry_notice_at <= now()
                ${alive})
           WHEN 'unused' THEN EXISTS (SELECT 1 FROM tokens k JOIN tenant_policies p ON p.tenant_id = k.tenant_id
                WHERE k.tenant_id = t.id AND k.status = 'active' ${alive}
                  AND greatest(k.created_at, k.last_used_at, k.resumed_at)
                      <= now() - custos_unused_warning_days(p.disable_unused_after_days) * interval '1 day'
                  AND (k.unused_warned_at IS NULL OR k.unused_warned_at < greatest(k.created_at, k.last_used_at, k.resumed_at)
                       OR greatest(k.created_at, k.last_used_at, k.resumed_at) <= now() - p.disable_unused_after_days * interval '1 day'))
           ELSE false
         END
         LIMIT p_limit
      $$;
  `;
}
