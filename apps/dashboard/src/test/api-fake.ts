import { jest } from '@jest/globals';
import { api } from '../shared/api/client';

/** One call of the dashboard's API client, as a component made it. */
export interface ApiCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path template, e.g. `/v1/invitations/{id}`. */
  path: string;
  /** The path parameters, e.g. `{ id: 'inv_1' }`. */
  params: Record<string, string>;
  body: unknown;
}

/** What the fake API answers a call: a status and a JSON body (problem+json for an error). */
export interface Answer {
  status: number;
  body?: unknown;
}

/** A problem+json answer, as the API sends one. */
export function problemAnswer(status: number, code: string, detail: string, errors: Array<{ field: string; message: string }> = []): Answer {
  return { status, body: { type: `https://custos.dev/problems/${code.toLowerCase()}`, title: code, status, detail, code, requestId: 'req_1', errors } };
}

/**
 * Stands in for the API in a component spec: every call of the client goes to `answer` and is recorded.
 * Call `restore` after the spec.
 */
export function fakeApiCalls(answer: (call: ApiCall) => Answer | undefined): { calls: ApiCall[]; restore: () => void } {
  const calls: ApiCall[] = [];
  const impl = (method: ApiCall['method']) => (path: string, init?: { body?: unknown; params?: { path?: Record<string, string> } }) => {
    const call: ApiCall = { method, path, params: init?.params?.path ?? {}, body: init?.body };
    calls.push(call);
    const answered = answer(call);
    if (!answered) return Promise.reject(new Error(`the spec did not expect ${method} ${path}`));
    // What unwrap reads of a fetch Response (jsdom has no Response).
    const response = { ok: answered.status < 400, status: answered.status, statusText: '', headers: new Map<string, string>() };
    return Promise.resolve(answered.status < 400 ? { data: answered.body, response } : { error: answered.body, response });
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
