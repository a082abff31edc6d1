import jose from 'node-jose';

export type PublicJwk = Record<string, string | string[] | boolean>;

/**
 * Accepts only a public key node-jose can use for encryption later (JWE of rotated secrets): an EC or
 * RSA key without private members. Returns the normalised public JWK, or a reason.
 */
export async function normalizePublicJwk(input: unknown): Promise<{ jwk: PublicJwk } | { error: string }> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { error: 'must be a JWK object' };
  const candidate = input as Record<string, unknown>;
  if (!['EC', 'RSA'].includes(String(candidate.kty))) return { error: 'kty must be EC or RSA' };
  if ('d' in candidate || 'p' in candidate || 'q' in candidate) return { error: 'must not contain a private key' };
  try {
    const key = await jose.JWK.asKey(candidate as object);
    const jwk = key.toJSON(false) as PublicJwk;
    // node-jose accepts some broken keys (an EC point missing a coordinate); encrypting once proves it.
    await encryptToJwk(jwk, 'probe');
    return { jwk };
  } catch (error) {
    return { error: `is not a usable key (${error instanceof Error ? error.message : 'unknown reason'})` };
  }
}

/**
 * Encrypts a secret to a service's public key as a compact JWE: RSA-OAEP-256 for RSA keys, ECDH-ES+A256KW
 * for EC keys, content in A256GCM. Only the holder of the private key can read it.
 */
export async function encryptToJwk(jwk: PublicJwk, plaintext: string, contentType = 'text/plain'): Promise<string> {
  const key = await jose.JWK.asKey(jwk as object);
  const alg = key.kty === 'RSA' ? 'RSA-OAEP-256' : 'ECDH-ES+A256KW';
  return jose.JWE.createEncrypt({ format: 'compact', contentAlg: 'A256GCM', fields: { alg, cty: contentType } }, key)
    .update(Buffer.from(plaintext, 'utf8'))
    .final();
}
