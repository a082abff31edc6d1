import { Injectable } from '@nestjs/common';
import type { SigningJwk } from '@custos/contracts';
import type { Tx } from '../database/database';

/** A tenant signing key as stored: its public JWK in the clear, its private JWK sealed (SecretBox). */
export interface StoredSigningKey {
  kid: string;
  publicJwk: SigningJwk;
  privateSealed: string;
}

/** SQL of the tenant signing keys that checkpoints are signed and verified with (the JWKS, exports, verification). */
@Injectable()
export class SigningKeyRepository {
  /** Every key of the tenant, retired ones too (what its checkpoints were signed with), the signing one first. */
  async allKeys(tx: Tx): Promise<StoredSigningKey[]> {
    const rows = await tx.rows<{ kid: string; public_jwk: SigningJwk; private_sealed: string }>(
      `SELECT kid, public_jwk, private_sealed FROM signing_keys ORDER BY retired_at DESC NULLS FIRST, created_at DESC, kid`,
    );
    return rows.map((r) => ({ kid: r.kid, publicJwk: r.public_jwk, privateSealed: r.private_sealed }));
  }

  /** Creation and rotation of the tenant's key run one at a time (until the transaction ends), so it never has two signing keys. */
  async lockKeyChanges(tx: Tx): Promise<void> {
    await tx.rows(`SELECT pg_advisory_xact_lock(hashtextextended('custos:signing-key:' || $1, 0))`, [tx.tenantId]);
  }

  /** The key the tenant signs with now (not retired), if it has one. */
  async activeKey(tx: Tx): Promise<Omit<StoredSigningKey, 'publicJwk'> | undefined> {
    const row = await tx.one<{ kid: string; private_sealed: string }>(`SELECT kid, private_sealed FROM signing_keys WHERE retired_at IS NULL`);
    return row && { kid: row.kid, privateSealed: row.private_sealed };
  }

  /** The kid of the tenant's signing key when it was made `maxAgeDays` days ago or earlier. */
  async activeKeyOlderThan(tx: Tx, maxAgeDays: number): Promise<string | undefined> {
    const row = await tx.one<{ kid: string }>(
      `SELECT kid FROM signing_keys WHERE retired_at IS NULL AND created_at <= now() - make_interval(days => $1)`,
      [maxAgeDays],
    );
    return row?.kid;
  }

  /** The key signs nothing more from now on; it stays, and stays published, for what it signed. */
  async retire(tx: Tx, kid: string): Promise<void> {
    await tx.rows(`UPDATE signing_keys SET retired_at = now() WHERE kid = $1`, [kid]);
  }

  async insert(tx: Tx, key: StoredSigningKey): Promise<void> {
    await tx.rows(`INSERT INTO signing_keys (tenant_id, kid, public_jwk, private_sealed) VALUES ($1, $2, $3, $4)`, [
      tx.tenantId,
      key.kid,
      JSON.stringify(key.publicJwk),
      key.privateSealed,
    ]);
  }

  /** Tenants, in id order after `after`, whose signing key is `maxAgeDays` days old or older (across tenants). */
  async tenantsWithOldKeys(tx: Tx, maxAgeDays: number, after: string, limit: number): Promise<string[]> {
    const rows = await tx.rows<{ t: string }>(`SELECT custos_tenants_with_old_signing_keys(make_interval(days => $1), $2, $3) AS t`, [
      maxAgeDays,
      after,
      limit,
    ]);
    return rows.map((r) => r.t);
  }
}
