import { hash } from 'node:crypto';

/**
 * The cache holds a SHA-256 of each token, never the token: a heap dump or a debugger of the service shows
 * no usable secret.
 */
export function tokenCacheKey(token: string): string {
  // The one-shot hash: no Hash object per verify (this runs on every one).
  return hash('sha256', token, 'base64url');
}
