import { asOwner } from './database-probe';

/** Changes the nonce every pending SSO sign-in of the tenant expects: the IdP's ID token then carries another one. */
export async function tamperSsoNonces(tenantId: string): Promise<number> {
  return asOwner(async (db) => (await db.query(`UPDATE sso_login_states SET nonce = 'not-the-nonce-sent' WHERE tenant_id = $1`, [tenantId])).rowCount ?? 0);
}

/** The tenant's sealed client secret as stored, to prove it is not the plaintext. */
export async function storedSsoSecret(tenantId: string): Promise<string | null> {
  return asOwner(async (db) => (await db.query<{ s: string }>(`SELECT client_secret_sealed AS s FROM sso_configs WHERE tenant_id = $1`, [tenantId])).rows[0]?.s ?? null);
}
