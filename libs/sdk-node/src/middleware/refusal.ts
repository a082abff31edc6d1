import { VerifyCode } from '@custos/contracts';

/** Why a request was refused: a verify code, no bearer token at all, or no verdict to be had from Custos. */
export type RefusalCode = Exclude<VerifyCode, VerifyCode.VALID> | 'UNAUTHENTICATED' | 'CUSTOS_UNAVAILABLE';

/** RFC 9457, as the Custos API itself answers. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: RefusalCode;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const TYPE_BASE = 'https://custos.dev/problems/';

/**
 * 401: the token does not identify a live caller; 403: it does, but may not do this, here, now;
 * 429: its rate limit is spent; 503: Custos could not be asked (fail closed).
 */
export function refusalStatus(code: RefusalCode): 401 | 403 | 429 | 503 {
  switch (code) {
    case 'UNAUTHENTICATED':
    case VerifyCode.MALFORMED:
    case VerifyCode.NOT_FOUND:
    case VerifyCode.REVOKED:
    case VerifyCode.SUSPENDED:
    case VerifyCode.EXPIRED:
    case VerifyCode.NOT_YET_VALID:
      return 401;
    case VerifyCode.INSUFFICIENT_SCOPE:
    case VerifyCode.IP_BLOCKED:
    case VerifyCode.GEO_BLOCKED:
    case VerifyCode.USAGE_EXCEEDED:
    case VerifyCode.CONSENT_REQUIRED:
    case VerifyCode.CONSENT_NOT_YET_VALID:
    case VerifyCode.CONSENT_EXPIRED:
    case VerifyCode.CONSENT_WITHDRAWN:
      return 403;
    case VerifyCode.RATE_LIMITED:
      return 429;
    case 'CUSTOS_UNAVAILABLE':
      return 503;
  }
}

const TITLES: Record<RefusalCode, string> = {
  UNAUTHENTICATED: 'A bearer token is required',
  CUSTOS_UNAVAILABLE: 'The token could not be verified',
  [VerifyCode.MALFORMED]: 'The token is malformed',
  [VerifyCode.NOT_FOUND]: 'The token is not known',
  [VerifyCode.REVOKED]: 'The token was revoked',
  [VerifyCode.SUSPENDED]: 'The token is suspended',
  [VerifyCode.EXPIRED]: 'The token has expired',
  [VerifyCode.NOT_YET_VALID]: 'The token is not valid yet',
  [VerifyCode.INSUFFICIENT_SCOPE]: 'The token lacks a required scope',
  [VerifyCode.IP_BLOCKED]: 'The token may not be used from this address',
  [VerifyCode.GEO_BLOCKED]: 'The token may not be used from this country',
  [VerifyCode.USAGE_EXCEEDED]: 'The token has no uses left',
  [VerifyCode.CONSENT_REQUIRED]: 'The token needs a consent',
  [VerifyCode.CONSENT_NOT_YET_VALID]: "The token's consent is not valid yet",
  [VerifyCode.CONSENT_EXPIRED]: "The token's consent has expired",
  [VerifyCode.CONSENT_WITHDRAWN]: "The token's consent was withdrawn",
  [VerifyCode.RATE_LIMITED]: "The token's rate limit is spent",
};

export function problemFor(code: RefusalCode, detail?: string): ProblemDetails {
  const status = refusalStatus(code);
  const title = TITLES[code];
  return { type: TYPE_BASE + code.toLowerCase().replace(/_/g, '-'), title, status, detail: detail ?? `${title}.`, code };
}
