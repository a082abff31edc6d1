import { Injectable } from '@nestjs/common';
import type { SigningJwk } from '@custos/contracts';
import type { Tx } from '../database/database';

/** A tenant signing key as stored: its public JWK in the clear, its private JWK sealed (SecretBox). */
export interface StoredSigningKey {
  kid: string;
  publicJwk: SigningJwk;
  privateSealed: string;
}

/** SQL of the tenant signing keys that checkpoints are verified with (the JWKS, exports, verification). */
@Injectable()
export class SigningKeyRepository {
  /** Every key of the tenant, retired ones too (what its checkpoints were signed with), the signing one first. */
  async allKeys(tx: Tx): Promise<StoredSigningKey[]> {
    const rows = await tx.rows<{ kid: string; public_jwk: SigningJwk; private_sealed: string }>(
      `SELECT kid, public_jwk, private_sealed FROM signing_keys ORDER BY retired_at DESC NULLS FIRST, created_at DESC, kid`,
    );
    return rows.map((r) => ({ kid: r.kid, publicJwk: r.public_jwk, privateSealed: r.private_sealed }));
  }
}
