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
    return { jwk: key.toJSON(false) as PublicJwk };
  } catch (error) {
    return { error: `is not a usable key (${error instanceof Error ? error.message : 'unknown reason'})` };
  }
}
