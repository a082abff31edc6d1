import { signJws, verifyJws, type JwsCheck } from './signing-keys';

/**
 * Detached JWS (RFC 7515 Appendix F): the compact form with its payload part left empty, so the
 * signature travels beside the thing it signs. The payload is given back when verifying.
 */
export async function signDetachedJws(privateJwkJson: string, payload: string, type: string): Promise<string> {
  const [header, , signature] = (await signJws(privateJwkJson, payload, type)).split('.');
  return `${header}..${signature}`;
}

export function verifyDetachedJws(detached: string, payload: string, jwks: { keys: readonly unknown[] }, type: string): Promise<JwsCheck> {
  const parts = detached.split('.');
  if (parts.length !== 3 || parts[1] !== '') return Promise.resolve({ valid: false, kid: null, reason: 'is not a detached compact JWS' });
  return verifyJws(`${parts[0]}.${Buffer.from(payload, 'utf8').toString('base64url')}.${parts[2]}`, jwks, type);
}
