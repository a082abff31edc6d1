import { Injectable } from '@nestjs/common';
import type { Role } from '@custos/contracts';
import type { Tx } from '../database/database';

/** What a test sign-in found out: the claims that matter, the role they give, or what went wrong. */
export interface SsoTestOutcome {
  at: string;
  by: string;
  ok: boolean;
  /** What went wrong (an SSO error code and a short reason of ours, never the IdP's text). */
  error?: string;
  claims?: { sub: string; email: string | null; emailVerified: boolean | null; name: string | null; roleClaim: unknown };
  mappedRole?: Role;
  /** Whether a person with that e-mail exists in this tenant already (a real sign-in would reuse them). */
  existingUser?: boolean;
}

/** A tenant's single sign-on configuration. The client secret stays sealed here. */
export interface SsoConfig {
  issuer: string;
  clientId: string;
  clientSecretSealed: string;
  roleClaim: string | null;
  roleMapping: Record<string, Role>;
  defaultRole: Role;
  enforce: boolean;
  breakGlassUserId: string | null;
  lastTest: SsoTestOutcome | null;
  updatedAt: Date;
  updatedBy: string;
}

type ConfigRecord = {
  issuer: string;
  client_id: string;
  client_secret_sealed: string;
  role_claim: string | null;
  role_mapping: Record<string, Role>;
  default_role: Role;
  enforce: boolean;
  break_glass_user_id: string | null;
  last_test: SsoTestOutcome | null;
  updated_at: Date;
  updated_by: string;
};

const toConfig = (r: ConfigRecord): SsoConfig => ({
  issuer: r.issuer,
  clientId: r.client_id,
  clientSecretSealed: r.client_secret_sealed,
  roleClaim: r.role_claim,
  roleMapping: r.role_mapping,
  defaultRole: r.default_role,
  enforce: r.enforce,
  breakGlassUserId: r.break_glass_user_id,
  lastTest: r.last_test,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

/** A sign-in on its way through the IdP. */
export interface SsoLoginState {
  nonce: string;
  codeVerifierSealed: string;
  /** Set for a test sign-in: the owner or admin who started it. */
  testByUserId: string | null;
}

/** Single sign-on: each tenant's IdP, and the sign-ins waiting for it to answer. Tenant transactions unless said otherwise. */
@Injectable()
export class SsoRepository {
  async get(tx: Tx): Promise<SsoConfig | null> {
    const row = await tx.one<ConfigRecord>(`SELECT * FROM sso_configs WHERE tenant_id = $1`, [tx.tenantId]);
    return row ? toConfig(row) : null;
  }

  /** Locked until the transaction ends, for a replacement that audits what it replaced. */
  async lock(tx: Tx): Promise<SsoConfig | null> {
    const row = await tx.one<ConfigRecord>(`SELECT * FROM sso_configs WHERE tenant_id = $1 FOR UPDATE`, [tx.tenantId]);
    return row ? toConfig(row) : null;
  }

  /** Creates or replaces the configuration; the latest test's outcome goes with the IdP it tested. */
  async put(tx: Tx, c: Omit<SsoConfig, 'lastTest'>): Promise<void> {
    await tx.rows(
      `INSERT INTO sso_configs (tenant_id, issuer, client_id, client_secret_sealed, role_claim, role_mapping, default_role, enforce, break_glass_user_id, updated_at, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (tenant_id) DO UPDATE SET issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id,
         client_secret_sealed = EXCLUDED.client_secret_sealed, role_claim = EXCLUDED.role_claim, role_mapping = EXCLUDED.role_mapping,
         default_role = EXCLUDED.default_role, enforce = EXCLUDED.enforce, break_glass_user_id = EXCLUDED.break_glass_user_id,
         updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by,
         last_test = CASE WHEN sso_configs.issuer = EXCLUDED.issuer AND sso_configs.client_id = EXCLUDED.client_id THEN sso_configs.last_test END`,
      [tx.tenantId, c.issuer, c.clientId, c.clientSecretSealed, c.roleClaim, JSON.stringify(c.roleMapping), c.defaultRole, c.enforce, c.breakGlassUserId, c.updatedAt, c.updatedBy],
    );
  }

  /** True when there was one to delete. */
  async delete(tx: Tx): Promise<boolean> {
    return (await tx.affected(`DELETE FROM sso_configs WHERE tenant_id = $1`, [tx.tenantId])) > 0;
  }

  async recordTest(tx: Tx, outcome: SsoTestOutcome): Promise<void> {
    await tx.rows(`UPDATE sso_configs SET last_test = $2 WHERE tenant_id = $1`, [tx.tenantId, JSON.stringify(outcome)]);
  }

  /** Whether SSO is enforced and this person is not the break-glass owner: their password does not sign them in. */
  async passwordRefusedFor(tx: Tx, userId: string): Promise<boolean> {
    const row = await tx.one<{ refused: boolean }>(
      `SELECT enforce AND break_glass_user_id IS DISTINCT FROM $2 AS refused FROM sso_configs WHERE tenant_id = $1`,
      [tx.tenantId, userId],
    );
    return row?.refused ?? false;
  }

  /** Keeps a sign-in's state for ten minutes; the tenant's expired ones go on the way. */
  async insertState(tx: Tx, s: SsoLoginState & { stateHash: string; expiresAt: Date }): Promise<void> {
    await tx.rows(`DELETE FROM sso_login_states WHERE tenant_id = $1 AND expires_at <= now()`, [tx.tenantId]);
    await tx.rows(
      `INSERT INTO sso_login_states (tenant_id, state_hash, nonce, code_verifier_sealed, test_by_user_id, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [tx.tenantId, s.stateHash, s.nonce, s.codeVerifierSealed, s.testByUserId, s.expiresAt],
    );
  }

  /** In a system transaction (the resolver is SECURITY DEFINER): the tenant of an unexpired state. */
  async tenantOfState(tx: Tx, stateHash: string): Promise<string | null> {
    const row = await tx.one<{ tenant_id: string | null }>(`SELECT custos_resolve_sso_state($1) AS tenant_id`, [stateHash]);
    return row?.tenant_id ?? null;
  }

  /** Takes the unexpired state once: a second callback with it finds nothing. */
  async takeState(tx: Tx, stateHash: string): Promise<SsoLoginState | null> {
    const row = await tx.one<{ nonce: string; code_verifier_sealed: string; test_by_user_id: string | null; live: boolean }>(
      `DELETE FROM sso_login_states WHERE tenant_id = $1 AND state_hash = $2 RETURNING nonce, code_verifier_sealed, test_by_user_id, expires_at > now() AS live`,
      [tx.tenantId, stateHash],
    );
    if (!row?.live) return null;
    return { nonce: row.nonce, codeVerifierSealed: row.code_verifier_sealed, testByUserId: row.test_by_user_id };
  }
}
