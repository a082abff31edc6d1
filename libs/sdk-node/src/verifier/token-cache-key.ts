import { createHash } from 'node:crypto';

/**
 * The cache holds a SHA-256 of each token, never the token: a heap dump or a debugger of the service shows
 * no usable secret.
 */
export function tokenCacheKey(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
