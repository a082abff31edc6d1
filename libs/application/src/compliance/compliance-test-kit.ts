import { randomBytes } from 'node:crypto';
import { generateToken } from '@custos/domain';
import type { Database } from '@custos/persistence';

/**
 * Rows for the compliance integration specs, written straight into a fresh tenant (the controls read
 * rows, whichever use case wrote them). Intervals are SQL, relative to now: '2 hours', '100 days'.
 */
export async function newComplianceTenant(db: Database, policy: { maxLifetimeDays?: number; rotationSeconds?: number | null; unusedDays?: number } = {}): Promise<string> {
  const tenantId = `ten_cmp_${randomBytes(5).toString('hex')}`;
  await db.tenant(tenantId, async (tx) => {
    await tx.rows(`INSERT INTO tenants (id, name) VALUES ($1, 'Compliance Test Org')`, [tenantId]);
    await tx.rows(
      `INSERT INTO tenant_policies (tenant_id, max_lifetime_seconds, default_rotation_interval_seconds, disable_unused_after_days)
       VALUES ($1, $2, $3, $4)`,
      [tenantId, (policy.maxLifetimeDays ?? 90) * 86400, policy.rotationSeconds ?? null, policy.unusedDays ?? 90],
    );
    await tx.rows(`INSERT INTO services (tenant_id, id, name) VALUES ($1, 'svc_owner', 'orders')`, [tenantId]);
  });
  return tenantId;
}

export interface TokenRow {
  status?: string;
  createdAgo?: string;
  expiresIn?: string;
  scopes?: string[];
  owner?: string | null;
  rotationSeconds?: number | null;
  lastUsedAgo?: string | null;
  dataCategories?: string[];
  consentId?: string | null;
  revokedAgo?: string | null;
  revokedBy?: string | null;
  revokedReason?: string | null;
}

export async function insertToken(db: Database, tenantId: string, id: string, t: TokenRow = {}): Promise<void> {
  await db.tenant(tenantId, (tx) =>
    tx.rows(
      `INSERT INTO tokens (tenant_id, id, name, environment, created_via, lookup_id, secret_hash, pepper_id, last4, scopes, status,
                           owner_service_id, created_at, expires_at, rotation_interval_seconds, last_used_at, data_categories, consent_id,
                           revoked_at, revoked_by, revoked_reason, root_id)
       VALUES ($1, $2, $2, 'live', 'api', $3, 'ab', 'p1', 'abcd', $4, $5, $6, now() - $7::interval, now() + $8::interval, $9,
               now() - $10::interval, $11, $12, now() - $13::interval, $14, $15, $2)`,
      [
        tenantId, id, generateToken('live').lookupId, t.scopes ?? ['orders:read'], t.status ?? 'active',
        t.owner === undefined ? 'svc_owner' : t.owner, t.createdAgo ?? '0', t.expiresIn ?? '30 days', t.rotationSeconds ?? null,
        t.lastUsedAgo ?? null, t.dataCategories ?? [], t.consentId ?? null, t.revokedAgo ?? null, t.revokedBy ?? null, t.revokedReason ?? null,
      ],
    ),
  );
}

export async function insertConsent(db: Database, tenantId: string, id: string, withdrawn: boolean): Promise<void> {
  await db.tenant(tenantId, (tx) =>
    tx.rows(
      `INSERT INTO consents (tenant_id, id, subject_ref, purpose, data_categories, lawful_basis, jurisdiction, valid_from, valid_until, withdrawn_at)
       VALUES ($1, $2, 'subj_1', 'care', '{personal,health}', 'consent', 'EU', now() - interval '1 day', now() + interval '30 days',
               CASE WHEN $3 THEN now() END)`,
      [tenantId, id, withdrawn],
    ),
  );
}

export async function insertUser(db: Database, tenantId: string, id: string, role: string, lastLoginAgo: string | null): Promise<void> {
  await db.tenant(tenantId, (tx) =>
    tx.rows(
      `INSERT INTO users (tenant_id, id, email, password_hash, role, last_login_at, created_at)
       VALUES ($1, $2, $2 || '.' || lower($1) || '@example.test', 'x', $3, now() - $4::interval, now() - interval '365 days')`,
      [tenantId, id, role, lastLoginAgo],
    ),
  );
}
