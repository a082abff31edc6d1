import { randomUUID } from 'node:crypto';
import { ROLE_SCOPES, type Role } from '@custos/contracts';
import { ApiClient, sessionCookieOf } from './api-client';

export interface TestTenant {
  tenantId: string;
  ownerId: string;
  email: string;
  password: string;
  /** Signed in as the owner (cookie + CSRF token). */
  owner: ApiClient;
}

export interface TokenBody {
  id: string;
  lookupId: string;
  status: string;
  scopes: string[];
  expiresAt: string;
  graceEndsAt: string | null;
  [key: string]: unknown;
}

export interface IssuedBody {
  token: TokenBody;
  secret: string;
}

export const uniqueEmail = (label = 'user'): string => `${label}-${randomUUID()}@example.test`;
export const PASSWORD = 'correct horse battery staple';

/** Signs up a fresh organisation; every test gets tenants of its own. */
export async function signupTenant(api: ApiClient = ApiClient.fromEnv(), name = 'Test Org'): Promise<TestTenant> {
  const email = uniqueEmail('owner');
  const res = await api.anonymous().post<{ user: { id: string }; tenant: { id: string }; csrfToken: string }>('/v1/signup', {
    organization: `${name} ${randomUUID().slice(0, 8)}`,
    email,
    password: PASSWORD,
  });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    tenantId: res.body.tenant.id,
    ownerId: res.body.user.id,
    email,
    password: PASSWORD,
    owner: api.withAuth({ cookie: sessionCookieOf(res.headers), csrfToken: res.body.csrfToken }),
  };
}

/** Adds a user with a role and returns a client signed in as them. */
export async function userWithRole(tenant: TestTenant, role: Role): Promise<ApiClient> {
  const email = uniqueEmail(role);
  const created = await tenant.owner.post('/v1/users', { email, password: PASSWORD, role });
  if (created.status !== 201) throw new Error(`user creation failed: ${created.status} ${JSON.stringify(created.body)}`);
  return login(tenant.owner, email, PASSWORD);
}

export async function login(api: ApiClient, email: string, password: string): Promise<ApiClient> {
  const res = await api.anonymous().post<{ csrfToken: string }>('/v1/auth/login', { email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return api.withAuth({ cookie: sessionCookieOf(res.headers), csrfToken: res.body.csrfToken });
}

export async function issueToken(
  client: ApiClient,
  overrides: Record<string, unknown> = {},
): Promise<IssuedBody> {
  const res = await client.post<IssuedBody>('/v1/tokens', {
    name: `token-${randomUUID().slice(0, 8)}`,
    scopes: ['orders:read'],
    expiresInSeconds: 3600,
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`issue failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A service key: a token holding custos scopes, and a client that authenticates with it. */
export async function serviceKey(
  tenant: TestTenant,
  scopes: readonly string[] = ROLE_SCOPES.owner,
  overrides: Record<string, unknown> = {},
): Promise<{ client: ApiClient; issued: IssuedBody }> {
  const issued = await issueToken(tenant.owner, { name: 'service key', scopes: [...scopes], ...overrides });
  return { client: tenant.owner.withAuth({ bearer: issued.secret }), issued };
}
