import type { AuditEventView, ConsentDetail, ConsentView } from '@custos/application';
import { randomUUID } from 'node:crypto';
import { ROLE_SCOPES, type Role } from '@custos/contracts';
import { ApiClient, sessionCookieOf } from './api-client';
import { AuthenticatorApp } from './authenticator-app';

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
  return (await invitedUser(tenant.owner, role)).client;
}

/**
 * A person invited by `by` (POST /v1/invitations) who accepted with PASSWORD: their id, e-mail and a
 * client signed in as them (the accept answers with the session). People join this way; an account made
 * by POST /v1/users must change its password first.
 */
export async function invitedUser(
  by: ApiClient,
  role: Role,
  email = uniqueEmail(role),
): Promise<{ id: string; email: string; client: ApiClient; invitationId: string }> {
  const invited = await by.post<{ id: string; token: string }>('/v1/invitations', { email, role });
  if (invited.status !== 201) throw new Error(`invitation failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  const accepted = await by
    .anonymous()
    .post<{ user: { id: string }; csrfToken: string }>(`/v1/invitations/${invited.body.token}/accept`, { password: PASSWORD });
  if (accepted.status !== 200) throw new Error(`accepting the invitation failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return {
    id: accepted.body.user.id,
    email,
    client: by.withAuth({ cookie: sessionCookieOf(accepted.headers), csrfToken: accepted.body.csrfToken }),
    invitationId: invited.body.id,
  };
}

export async function login(api: ApiClient, email: string, password: string): Promise<ApiClient> {
  const res = await api.anonymous().post<{ csrfToken: string }>('/v1/auth/login', { email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return api.withAuth({ cookie: sessionCookieOf(res.headers), csrfToken: res.body.csrfToken });
}

/** Turns TOTP on for the client's person: the app that holds the secret, and the recovery codes shown once. */
export async function enrolTotp(client: ApiClient): Promise<{ app: AuthenticatorApp; recoveryCodes: string[] }> {
  const started = await client.post<{ secret: string }>('/v1/me/mfa/totp', {});
  if (started.status !== 201) throw new Error(`TOTP enrolment failed: ${started.status} ${JSON.stringify(started.body)}`);
  const app = new AuthenticatorApp(started.body.secret);
  const confirmed = await client.post<{ recoveryCodes: string[] }>('/v1/me/mfa/totp/confirm', { code: await app.code() });
  if (confirmed.status !== 200) throw new Error(`TOTP confirmation failed: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  return { app, recoveryCodes: confirmed.body.recoveryCodes };
}

/** Logs in with a password and the next code of the person's authenticator app. */
export async function loginWithTotp(api: ApiClient, email: string, password: string, app: AuthenticatorApp): Promise<ApiClient> {
  const first = await api.anonymous().post<{ mfaRequired: boolean; mfaToken: string }>('/v1/auth/login', { email, password });
  if (first.status !== 200 || !first.body.mfaRequired) throw new Error(`expected an MFA challenge: ${first.status} ${JSON.stringify(first.body)}`);
  const res = await api.anonymous().post<{ csrfToken: string }>('/v1/auth/mfa', { mfaToken: first.body.mfaToken, code: await app.code() });
  if (res.status !== 200) throw new Error(`MFA log-in failed: ${res.status} ${JSON.stringify(res.body)}`);
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

export interface ServiceBody {
  id: string;
  name: string;
  allowedScopes: string[];
  [key: string]: unknown;
}

/** Registers a service (an owner of tokens) with a unique name. */
export async function createService(client: ApiClient, overrides: Record<string, unknown> = {}): Promise<ServiceBody> {
  const res = await client.post<ServiceBody>('/v1/services', { name: `service-${randomUUID().slice(0, 8)}`, ...overrides });
  if (res.status !== 201) throw new Error(`service creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export interface VerifyBody {
  valid: boolean;
  code: string;
  tokenId?: string;
  ownerServiceId?: string | null;
  scopes?: string[];
  expiresAt?: string;
  remainingUses?: number | null;
}

/** POST /v1/verify; a refused token is still a 200 answer, so anything else is a failure of the test. */
export async function verifyToken(
  client: ApiClient,
  token: string,
  options: { scopes?: string[]; context?: { ip?: string; country?: string; resource?: string } } = {},
): Promise<VerifyBody> {
  const res = await client.post<VerifyBody>('/v1/verify', { token, ...options });
  if (res.status !== 200) throw new Error(`verify failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * Reads until `done` holds or the time is up, for effects that happen shortly after a request (usage
 * flushes, expiry). Returns the last value read; fails with it when the time runs out.
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 5000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Follows nextCursor from the first page to the last; `path` may carry a query string. */
export async function collectPages<T>(
  client: ApiClient,
  path: string,
  limit: number,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const url = `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res: { status: number; body: { items: T[]; nextCursor: string | null } } = await client.get(url);
    if (res.status !== 200) throw new Error(`GET ${url} failed: ${res.status} ${JSON.stringify(res.body)}`);
    if (++pages > 10_000) throw new Error(`paging through ${path} does not end`);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return { items, pages };
}

/** What GET /v1/audit-events answers per event. */
export type AuditEventBody = AuditEventView;

/** Every audit event of the caller's tenant matching the query (e.g. `action=token.revoked`), newest first. */
export async function auditEvents(client: ApiClient, query = ''): Promise<AuditEventBody[]> {
  return (await collectPages<AuditEventBody>(client, `/v1/audit-events${query ? `?${query}` : ''}`, 200)).items;
}

export interface ChainVerdictBody {
  valid: boolean;
  checkedEvents: number;
  headSeq: number;
  headHash: string;
  firstInvalidSeq?: number;
  /** Why the chain is not valid, in words. */
  reason?: string;
  checkedCheckpoints: number;
}

export async function verifyAuditChain(client: ApiClient): Promise<ChainVerdictBody> {
  const res = await client.get<ChainVerdictBody>('/v1/audit-events/verify');
  if (res.status !== 200) throw new Error(`audit verify failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: Role;
  /** Signed in as this user. */
  client: ApiClient;
}

/** Like userWithRole, but also returns the user's id and e-mail, for tests that act on the user. */
export async function addUser(tenant: TestTenant, role: Role, by: ApiClient = tenant.owner): Promise<TestUser> {
  const { id, email, client } = await invitedUser(by, role);
  return { id, email, password: PASSWORD, role, client };
}

export interface WebhookBody {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  createdAt: string;
  deletedAt: string | null;
  [key: string]: unknown;
}

/** Registers a webhook endpoint; the answer holds its signing secret, which no later answer shows. */
export async function createWebhook(
  client: ApiClient,
  url: string,
  events: readonly string[] = ['token.revoked'],
  overrides: Record<string, unknown> = {},
): Promise<{ webhook: WebhookBody; secret: string }> {
  const res = await client.post<{ webhook: WebhookBody; secret: string }>('/v1/webhooks', { url, events: [...events], ...overrides });
  if (res.status !== 201) throw new Error(`webhook creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export type ConsentBody = ConsentView;
export type ConsentDetailBody = ConsentDetail;

/** A consent of the client's tenant: in force from an hour ago for 30 days, covering personal data. */
export async function createConsent(client: ApiClient, overrides: Record<string, unknown> = {}): Promise<ConsentBody> {
  const now = Date.now();
  const res = await client.post<ConsentBody>('/v1/consents', {
    subjectRef: `subj_${randomUUID().slice(0, 12)}`,
    purpose: 'order-fulfilment',
    dataCategories: ['personal', 'contact'],
    lawfulBasis: 'consent',
    jurisdiction: 'EU',
    validFrom: new Date(now - 3600_000).toISOString(),
    validUntil: new Date(now + 30 * 86400_000).toISOString(),
    source: 'test-suite',
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`consent creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export interface CampaignBody {
  id: string;
  name: string;
  status: string;
  dueAt: string;
  reportIds: Record<string, string> | null;
  progress: { total: number; pending: number; overdue: number; decided: { keep: number; narrow: number; revoke: number } };
}

/** An access review campaign, opened through the API: over every active token, due tomorrow, by stewards, unless overridden. */
export async function openCampaign(client: ApiClient, overrides: Record<string, unknown> = {}): Promise<CampaignBody> {
  const res = await client.post<CampaignBody>('/v1/access-reviews', {
    name: `review-${randomUUID().slice(0, 8)}`,
    scope: { all: true },
    dueAt: new Date(Date.now() + 86_400_000).toISOString(),
    reviewer: 'steward',
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`campaign failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
