import { Injectable } from '@nestjs/common';
import { Client } from 'pg';
import { APP_ROLE, pgErrorCode, type Tx } from '../database/database';

/** Who DATABASE_URL logs in as, for the start-up check of what row-level security can rest on. */
export interface LoginRole {
  name: string;
  /** Superuser or BYPASSRLS: row-level security would not apply to it, were it not for each transaction's role switch. */
  superuser: boolean;
  bypassRls: boolean;
  /** May switch to custos_app, as every transaction does. */
  memberOfAppRole: boolean;
}

export interface DatabaseIdentity {
  login: LoginRole;
  /**
   * Random, made by the migrations: names this installation (its Redis namespace, by default). Null when
   * the schema has no installation yet (not migrated), or when the login could not read it anyway (not a
   * member of custos_app: the start-up check refuses that login first).
   */
  installationId: string | null;
}

const PG_UNDEFINED_TABLE = '42P01';

/** Read once at start-up, before any pool exists, over one short connection. */
export async function readDatabaseIdentity(url: string, applicationName: string): Promise<DatabaseIdentity> {
  const client = new Client({ connectionString: url, application_name: applicationName });
  await client.connect();
  try {
    // No role switch has happened yet, so current_user is the login; both are asked in case a
    // connection default (ALTER ROLE ... SET role) switched it already.
    const { rows } = await client.query<{ name: string; superuser: boolean; bypass_rls: boolean; member: boolean | null }>(
      `SELECT session_user AS name, bool_or(r.rolsuper) AS superuser, bool_or(r.rolbypassrls) AS bypass_rls,
              (SELECT pg_has_role(session_user, oid, 'MEMBER') FROM pg_roles WHERE rolname = $1) AS member
         FROM pg_roles r WHERE r.rolname IN (session_user, current_user)`,
      [APP_ROLE],
    );
    const row = rows[0]!;
    const login: LoginRole = { name: row.name, superuser: row.superuser, bypassRls: row.bypass_rls, memberOfAppRole: row.member === true };
    if (!login.superuser && !login.memberOfAppRole) return { login, installationId: null };
    try {
      const installation = await client.query<{ id: string }>(`SELECT id FROM installation`);
      return { login, installationId: installation.rows[0]?.id ?? null };
    } catch (error) {
      if (pgErrorCode(error) === PG_UNDEFINED_TABLE) return { login, installationId: null };
      throw error;
    }
  } finally {
    await client.end();
  }
}

/** The installation row and what spans tenants: which tenant runs the installation, which tenants exist. */
@Injectable()
export class InstallationRepository {
  /** The tenant that runs the installation, once the bootstrap (or the embedded mode's first sign-up) named it. */
  async operatorTenantId(tx: Tx): Promise<string | null> {
    return (await tx.one<{ operator_tenant_id: string | null }>(`SELECT operator_tenant_id FROM installation`))?.operator_tenant_id ?? null;
  }

  /** The first tenant created: the operator tenant in embedded mode, where the database was never shared. */
  async firstTenantId(tx: Tx): Promise<string | null> {
    return (await tx.one<{ id: string | null }>(`SELECT custos_first_tenant() AS id`))?.id ?? null;
  }

  /**
   * Names the tenant of this transaction (just created) as the installation's operator tenant, unless one
   * is named already (false then): once named, it never changes.
   */
  async claimOperatorTenant(tx: Tx): Promise<boolean> {
    return (await tx.one<{ claimed: boolean }>(`SELECT custos_claim_operator_tenant($1) AS claimed`, [tx.tenantId]))?.claimed === true;
  }

  /** Whether the tenant of this transaction exists in this database (a job may name another installation's). */
  async tenantExists(tx: Tx): Promise<boolean> {
    return (await tx.one<{ known: boolean }>(`SELECT EXISTS (SELECT 1 FROM tenants WHERE id = $1) AS known`, [tx.tenantId]))?.known === true;
  }

  /** Whether the database has any tenant at all (a system transaction: the function is SECURITY DEFINER). */
  async anyTenant(tx: Tx): Promise<boolean> {
    const exists = await tx.one<{ exists: boolean }>(`SELECT custos_any_tenant() AS exists`);
    return exists?.exists === true;
  }
}
