import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** A PEM public key as a key object; null when it is no key. */
export function publicKeyOf(pem: string): KeyObject | null {
  try {
    return createPublicKey(pem);
  } catch {
    return null;
  }
}

/**
 * Whether `signatureBase64` is an ECDSA signature (DER, SHA-256) by `key` over exactly these bytes: the
 * body as received, never JSON serialised again, whose bytes could differ. GitHub signs its secret
 * scanning reports so.
 */
export function verifiesEcdsaSha256(key: KeyObject, body: Buffer, signatureBase64: string): boolean {
  const signature = Buffer.from(signatureBase64, 'base64');
  if (signature.length === 0) return false;
  try {
    return verify('sha256', body, { key, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}
