import { jest } from '@jest/globals';
import { api } from '../shared/api/client';
import type { MfaStatus, SignedInSession } from '../features/security/api/security.queries';
import type { Session } from '../features/session/api/session.queries';
import { sessionWith } from './render';

/** GET /v1/me/mfa of a person with an authenticator app and `left` recovery codes (none: not enrolled). */
export function mfaStatusFixture(over: { enabled?: boolean; left?: number } = {}): MfaStatus {
  const enabled = over.enabled ?? true;
  return {
    totp: { enabled, enabledAt: enabled ? '2026-11-20T09:30:00.000Z' : null, pending: false },
    recoveryCodesLeft: enabled ? (over.left ?? 10) : 0,
  };
}

export function sessionItemFixture(id: string, over: Partial<SignedInSession> = {}): SignedInSession {
  return {
    id,
    current: false,
    method: 'password',
    device: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    ipPrefix: '203.0.113.0/24',
    country: 'DE',
    createdAt: '2026-12-01T08:00:00.000Z',
    lastSeenAt: '2026-12-03T10:00:00.000Z',
    ...over,
  };
}

/** The session of an owner whose organization requires MFA and who has none yet. */
export function restrictedSession(): Session {
  const session = sessionWith('owner', ['custos:tokens:read']);
  return { ...session, user: { ...session.user, mfaEnabled: false }, restriction: 'mfa_enrolment' };
}

export const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
export const RECOVERY_CODES = Array.from({ length: 10 }, (_, i) => `r${i}aa-bbbb-cccc`);

/** What a faked API call answers: a status and a body (problem+json for a failure). */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiCall {
  method: string;
  path: string;
  body: unknown;
  /** The path's parameters (`{ id }` of `/v1/me/sessions/{id}`), if any. */
  pathParams?: Record<string, string>;
}

/** A problem+json answer, as the API's one error mapper writes it. */
export function problem(status: number, code: string, detail: string, headers?: Record<string, string>): Answer {
  return { status, body: { type: 'about:blank', title: code, status, code, detail }, headers };
}

function resultOf(answer: Answer) {
  const headers = Object.fromEntries(Object.entries(answer.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const response = { ok: answer.status < 300, status: answer.status, statusText: '', headers: { get: (name: string) => headers[name.toLowerCase()] ?? null } };
  return answer.status < 300 ? { data: answer.body, response } : { error: answer.body, response };
}

/**
 * Stands in for the API in a component spec: every call of the dashboard's client goes to `answer`
 * (by method and path template, e.g. `POST /v1/auth/mfa`), and is recorded. Restore with `mockRestore`
 * (or jest's restoreMocks).
 */
export function fakeApi(answer: (call: ApiCall) => Answer | undefined): { calls: ApiCall[]; restore: () => void } {
  const calls: ApiCall[] = [];
  const impl = (method: string) => (path: string, init?: { body?: unknown; params?: { path?: Record<string, string> } }) => {
    const call: ApiCall = { method, path, body: init?.body, ...(init?.params?.path ? { pathParams: init.params.path } : {}) };
    calls.push(call);
    const answered = answer(call);
    if (!answered) return Promise.reject(new Error(`the spec did not expect ${method} ${path}`));
    return Promise.resolve(resultOf(answered));
  };
  // The client's methods are typed per path; this stand-in answers every path alike.
  const spies = [
    jest.spyOn(api, 'GET').mockImplementation(impl('GET') as unknown as typeof api.GET),
    jest.spyOn(api, 'POST').mockImplementation(impl('POST') as unknown as typeof api.POST),
    jest.spyOn(api, 'PUT').mockImplementation(impl('PUT') as unknown as typeof api.PUT),
    jest.spyOn(api, 'PATCH').mockImplementation(impl('PATCH') as unknown as typeof api.PATCH),
    jest.spyOn(api, 'DELETE').mockImplementation(impl('DELETE') as unknown as typeof api.DELETE),
  ];
  return { calls, restore: () => spies.forEach((spy) => spy.mockRestore()) };
}
