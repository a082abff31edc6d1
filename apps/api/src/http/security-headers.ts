import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** Helmet's settings for every response of the api (registered on the Nest instance in create-app.ts). */
export const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
} satisfies HelmetOptions;

/**
 * The headers helmet sets with HELMET_OPTIONS, computed once by running helmet's own middleware
 * against a response that only records them. With these options they depend on nothing in the
 * request (no CSP nonces), so the hot path (POST /v1/verify), which skips helmet's per-request
 * work, and the answers the router gives before any hook runs carry exactly the same headers.
 */
function precomputeSecurityHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
      return recorder;
    },
    removeHeader: () => undefined,
  };
  let completed = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error instanceof Error ? error : new Error(String(error));
    completed = true;
  });
  // Helmet 8 runs synchronously; if a future version did not, the headers would be silently incomplete.
  if (!completed) throw new Error('helmet did not complete synchronously: the security headers cannot be precomputed');
  return Object.freeze(headers);
}

export const SECURITY_HEADERS = precomputeSecurityHeaders(HELMET_OPTIONS);

/** The same headers with some of helmet's settings replaced (a page with a CSP of its own). */
export function securityHeadersWith(overrides: HelmetOptions): Readonly<Record<string, string>> {
  return precomputeSecurityHeaders({ ...HELMET_OPTIONS, ...overrides });
}

/**
 * Every answer of this Fastify instance gets SECURITY_HEADERS, in one synchronous hook. @fastify/helmet,
 * used before, built helmet's middleware again for every request in two hooks of which one was async:
 * a twentieth of the api's CPU per issue in the bench's profile.
 */
export function registerSecurityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(SECURITY_HEADERS);
    done();
  });
}
