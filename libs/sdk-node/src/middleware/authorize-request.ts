import type { Verifier } from '../verifier/create-verifier';
import type { VerifyResult } from '../verifier/verify-types';
import { problemFor, type ProblemDetails, type RefusalCode } from './refusal';

export interface GuardOptions {
  /** Scopes the token must all hold for the guarded routes. */
  scopes?: string[];
}

/** What a framework adapter reads off its request. */
export interface PresentedCredentials {
  authorization: string | string[] | undefined;
  ip: string | undefined;
  resource?: string;
}

export type Authorization = { allowed: true; result: VerifyResult } | { allowed: false; problem: ProblemDetails; retryAfterSeconds?: number };

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

export function bearerToken(authorization: string | string[] | undefined): string | null {
  if (typeof authorization !== 'string') return null;
  return BEARER.exec(authorization)?.[1] ?? null;
}

/** The decision every adapter shares: a bearer token, verified for the route's scopes from the caller's address. */
export async function authorizeRequest(verifier: Verifier, credentials: PresentedCredentials, options: GuardOptions): Promise<Authorization> {
  const token = bearerToken(credentials.authorization);
  if (token === null) return { allowed: false, problem: problemFor('UNAUTHENTICATED', 'Send the token as `Authorization: Bearer <token>`.') };
  let result: VerifyResult;
  try {
    result = await verifier.verify(token, { scopes: options.scopes, ip: credentials.ip, resource: credentials.resource });
  } catch {
    // Fail closed: without a verdict the request is not let through.
    return { allowed: false, problem: problemFor('CUSTOS_UNAVAILABLE') };
  }
  if (result.valid) return { allowed: true, result };
  // Custos answers valid: false with any code but VALID.
  const refusal: Authorization = { allowed: false, problem: problemFor(result.code as RefusalCode) };
  if (result.retryAfterSeconds !== undefined) refusal.retryAfterSeconds = result.retryAfterSeconds;
  return refusal;
}

/**
 * The resource recorded with a use: the path without its query, which may carry what should not reach an
 * audit trail (and Custos refuses text that holds a secret).
 */
export function pathOf(url: string | undefined): string | undefined {
  return url?.split('?', 1)[0];
}
