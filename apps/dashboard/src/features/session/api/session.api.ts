import { ApiError, requestJson } from '../../../shared/api/http';

// Request and response types of the session endpoints, hand-written until the client is generated
// from the API's OpenAPI document.

export type Role = 'owner' | 'admin' | 'operator' | 'auditor' | 'viewer';

export interface SessionUser {
  id: string;
  email: string;
  role: Role;
}

export interface SessionTenant {
  id: string;
  name: string;
}

/** GET /v1/me */
export interface Me {
  user: SessionUser;
  tenant: SessionTenant;
  /** Sent back as X-CSRF-Token on every state-changing request of this session. */
  csrfToken: string;
}

/** POST /v1/auth/login */
export interface LoginRequest {
  email: string;
  password: string;
}

/** POST /v1/signup: a new organization (tenant) and its owner. */
export interface SignupRequest {
  organization: string;
  email: string;
  password: string;
}

/** The signed-in session, or null when there is none (401). */
export async function fetchMe(signal?: AbortSignal): Promise<Me | null> {
  try {
    return await requestJson<Me>('/v1/me', signal ? { signal } : {});
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export async function login(request: LoginRequest): Promise<void> {
  await requestJson<unknown>('/v1/auth/login', { method: 'POST', body: request });
}

export async function signup(request: SignupRequest): Promise<void> {
  await requestJson<unknown>('/v1/signup', { method: 'POST', body: request });
}

export async function logout(csrfToken: string): Promise<void> {
  await requestJson<unknown>('/v1/auth/logout', { method: 'POST', csrfToken });
}
