import { randomUUID } from 'node:crypto';
import { CUSTOS_SCOPES, ROLE_SCOPES, type CustosScope, type Role } from '@custos/contracts';
import { REPORT_ROUTES } from './report-routes';
import { PASSWORD, asOwner, rotateOnSchedule, tenantFootprint, uniqueEmail, type ApiClient, type ApiResponse, type TenantFootprint, type TestTenant } from '@custos/testing';

/**
 * Every /v1 route of the API, listed once, with what the same security cases need to run against it
 * (see security-cases.ts): who may call it, how to make a valid and an invalid request, what it acts on
 * and what a caller of another tenant must get. A case that cannot apply to a route says why here.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export const UNSAFE_METHODS: readonly HttpMethod[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** Kinds of tenant-owned objects a route can act on; the runner knows how to read each back. */
export type ObjectKind = 'token' | 'service' | 'user' | 'webhook' | 'consent' | 'checkpoint' | 'report';

/** An object made in tenant A for a request to act on. */
export interface Fixture {
  id: string;
  name?: string;
  secret?: string;
}

/** What the catalogue needs from the shared test world: two tenants and ways to make objects in A. */
export interface World {
  api: ApiClient;
  /** The tenant whose objects the routes act on. */
  a: TestTenant;
  /** The other tenant, whose keys must see nothing of A. */
  b: TestTenant;
  /** Service keys holding every custos scope. */
  aKey: ApiClient;
  bKey: ApiClient;
  newToken(overrides?: Record<string, unknown>): Promise<Fixture>;
  newService(overrides?: Record<string, unknown>): Promise<Fixture>;
  newUser(role: Role): Promise<Fixture>;
  /** A webhook endpoint of A (secret: its signing secret, shown at creation only). */
  newWebhook(overrides?: Record<string, unknown>): Promise<Fixture>;
  /** A consent of A in force now (name: its subjectRef). */
  newConsent(overrides?: Record<string, unknown>): Promise<Fixture>;
  /** A checkpoint of A's audit chain, signed now (name: the kid of the key that signed it). */
  newCheckpoint(): Promise<Fixture>;
  /** A compliance report of A (soc2, json): queued, or generated (done) when asked. */
  newReport(options?: { done: boolean }): Promise<Fixture>;
}

export interface RequestContext {
  world: World;
  /** The route's object in tenant A; present exactly when the route declares `object`. */
  fixture: Fixture | undefined;
}

export interface RequestParts {
  /** Query string without the leading `?`. */
  query?: string;
  /** JSON body; undefined sends none. */
  body?: unknown;
  /** Extra headers, for routes that authenticate by something other than the caller's principal. */
  headers?: Record<string, string>;
}

/**
 * Who runs the success path:
 * - scoped-key: a service key of A holding only the route's scope (proves that scope is enough);
 * - role-session: a cookie session, with its CSRF token, of the least privileged role holding the
 *   scope (viewer on routes that need no scope);
 * - owner-key: A's service key with every custos scope;
 * - fresh-session: a new log-in of A's owner (for routes that end the session);
 * - anonymous: no credentials (public routes).
 */
export type SuccessPrincipal = 'scoped-key' | 'role-session' | 'owner-key' | 'fresh-session' | 'anonymous';

export interface SuccessContext extends RequestContext {
  as: SuccessPrincipal;
  client: ApiClient;
  /** Tenant A before and after the request. */
  before: TenantFootprint;
  after: TenantFootprint;
}

export interface SuccessSpec {
  status: number;
  as: readonly SuccessPrincipal[];
  /**
   * What the scoped key must hold besides the route's scope for this request to succeed: a role it
   * hands out or acts on (nobody grants what it does not hold). Its absence is the escalation tests' business.
   */
  alsoHolds?: readonly CustosScope[];
  /** The audit actions the request writes in tenant A, in order ([] for reads). */
  audit: readonly string[];
  check(res: ApiResponse<unknown>, c: SuccessContext): void | Promise<void>;
}

export interface InvalidSpec {
  request(c: RequestContext): RequestParts;
  /** Fields the 400 must name in `errors`. */
  fields: readonly string[];
  /** Beyond tenant A's footprint: proof that nothing was written elsewhere. */
  nothingWritten?(parts: RequestParts): Promise<void>;
}

/** What B's owner key must get when it sends the valid request built on A's object. */
export type CrossTenantOutcome =
  | { status: number; code: string; field?: string }
  | { status: 200; body: unknown };

export type CrossTenantSpec =
  /** B sends the valid request on A's object; A's object and both tenants' rows stay unchanged. */
  | { kind: 'object'; outcome?: CrossTenantOutcome }
  /** B's list never contains A's item (which A's own list does contain). */
  | { kind: 'list'; ids(body: unknown): string[]; mine(c: RequestContext): string }
  | { kind: 'custom'; title: string; run(c: RequestContext): Promise<void> };

export interface NotApplicable {
  notApplicable: string;
}

export type Access = { public: string } | { authenticated: string } | { scope: CustosScope };

export interface RouteSpec {
  method: HttpMethod;
  /** As in the OpenAPI document, with `:id` for the object's id. */
  path: string;
  access: Access;
  /** The object of tenant A the request acts on (its id in `:id` or in the body), made per request. */
  object?: { kind: ObjectKind; make(world: World): Promise<Fixture> };
  /** A valid request. */
  valid(c: RequestContext): RequestParts;
  success: SuccessSpec;
  invalid: InvalidSpec | NotApplicable;
  crossTenant: CrossTenantSpec | NotApplicable;
  /**
   * Body fields (dotted paths) that carry a secret on purpose and so are exempt from the text rules
   * (docs/api.md, "Text in requests"): a password, the token to verify. Every other string of the
   * valid request must refuse a NUL and a pasted token.
   */
  secretFields?: readonly string[];
  /**
   * The text cases send the valid request with each of its strings changed. A route whose valid request
   * carries no string names another request that does (its optional text parameters), or why none applies.
   */
  text?: { probe(c: RequestContext): RequestParts } | NotApplicable;
}

const tag = (): string => randomUUID().slice(0, 8);

/**
 * Audit events are committed unsealed and get their sequence number just after (AuditSealer), so a
 * footprint read at once may still show the previous head. Sequence numbers run 1..n without gaps,
 * so the chain has caught up when the head equals the count: wait for that, which makes footprints
 * taken before and after a request comparable.
 */
export function fixtureOf(c: RequestContext): Fixture {
  if (!c.fixture) throw new Error('this route declares no object');
  return c.fixture;
}

interface Page<T> {
  items: T[];
}
const ids = (body: unknown): string[] => (body as Page<{ id: string }>).items.map((item) => item.id);

const NO_BODY: NotApplicable = { notApplicable: 'takes no body and no query' };
const CREATES_ONLY: NotApplicable = { notApplicable: "creates in the caller's own tenant and names no existing object" };

const TOKEN: RouteSpec['object'] = { kind: 'token', make: (w) => w.newToken() };
const SERVICE: RouteSpec['object'] = { kind: 'service', make: (w) => w.newService() };
const MEMBER: RouteSpec['object'] = { kind: 'user', make: (w) => w.newUser('viewer') };
const WEBHOOK: RouteSpec['object'] = { kind: 'webhook', make: (w) => w.newWebhook() };
const CONSENT: RouteSpec['object'] = { kind: 'consent', make: (w) => w.newConsent() };
/** A signed checkpoint of A; it also means A has its signing key, so signing again makes no key. */
const CHECKPOINT: RouteSpec['object'] = { kind: 'checkpoint', make: (w) => w.newCheckpoint() };
/** A consent of A with one token bound to it, which a withdrawal must revoke. */
const CONSENT_WITH_TOKEN: RouteSpec['object'] = {
  kind: 'consent',
  async make(w) {
    const consent = await w.newConsent();
    await w.newToken({ consentId: consent.id, dataCategories: ['personal'] });
    return consent;
  },
};
/** A webhook subscribed to token.revoked, after a revocation in A: it has one delivery. */
const WEBHOOK_WITH_DELIVERY: RouteSpec['object'] = {
  kind: 'webhook',
  async make(w) {
    const webhook = await w.newWebhook({ events: ['token.revoked'] });
    const token = await w.newToken();
    const res = await w.a.owner.post(`/v1/tokens/${token.id}/revoke`, { reason: 'a delivery for the route security suite' });
    if (res.status !== 200) throw new Error(`revoke failed: ${res.status} ${JSON.stringify(res.body)}`);
    return webhook;
  },
};
/** A token the request may legitimately resume. */
const SUSPENDED_TOKEN: RouteSpec['object'] = {
  kind: 'token',
  async make(w) {
    const token = await w.newToken();
    const res = await w.a.owner.post(`/v1/tokens/${token.id}/suspend`, {});
    if (res.status !== 200) throw new Error(`suspend failed: ${res.status} ${JSON.stringify(res.body)}`);
    return token;
  },
};

const BOTH: readonly SuccessPrincipal[] = ['scoped-key', 'role-session'];

function hasSessionCookie(res: ApiResponse<unknown>): void {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('custos_session='));
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Strict/i);
}

export const ROUTES: readonly RouteSpec[] = [
  // ---- accounts -------------------------------------------------------------------------------
  {
    method: 'POST',
    path: '/v1/signup',
    access: { public: 'anyone may create an organisation' },
    secretFields: ['password'],
    valid: () => ({ body: { organization: `Signup ${tag()}`, email: uniqueEmail('signup'), password: PASSWORD } }),
    success: {
      status: 201,
      as: ['anonymous'],
      audit: [],
      async check(res, c) {
        const body = res.body as { user: { role: string; email: string }; tenant: { id: string }; csrfToken: string };
        expect(body.user.role).toBe('owner');
        expect(body.tenant.id).not.toBe(c.world.a.tenantId);
        hasSessionCookie(res);
        expect(await tenantFootprint(body.tenant.id)).toMatchObject({ users: 1, sessions: 1, auditEvents: 2 });
      },
    },
    invalid: {
      request: () => ({
        body: { organization: 'x'.repeat(201), email: uniqueEmail('invalid-signup'), password: 'short', plan: 'gold' },
      }),
      fields: ['organization', 'password', 'plan'],
      async nothingWritten(parts) {
        const { email } = parts.body as { email: string };
        const found = await asOwner((db) => db.query(`SELECT 1 FROM users WHERE lower(email) = lower($1)`, [email]));
        expect(found.rowCount).toBe(0);
      },
    },
    crossTenant: { notApplicable: 'public; it creates a new tenant and names no existing object' },
  },
  {
    method: 'POST',
    path: '/v1/auth/login',
    access: { public: 'log-in is how a session starts' },
    secretFields: ['password'],
    valid: ({ world }) => ({ body: { email: world.a.email, password: world.a.password } }),
    success: {
      status: 200,
      as: ['anonymous'],
      audit: ['auth.login_succeeded'],
      async check(res, c) {
        expect(res.body).toMatchObject({ user: { id: c.world.a.ownerId }, tenant: { id: c.world.a.tenantId }, csrfToken: expect.any(String) });
        hasSessionCookie(res);
        expect(c.after.sessions).toBe(c.before.sessions + 1);
      },
    },
    // A's real e-mail: a refused body must not count as a failed log-in (no audit event, no session).
    invalid: { request: ({ world }) => ({ body: { email: world.a.email, password: '', remember: true } }), fields: ['password', 'remember'] },
    crossTenant: { notApplicable: 'public; the tenant follows from the e-mail' },
  },
  {
    method: 'POST',
    path: '/v1/auth/logout',
    access: { authenticated: 'any signed-in caller may end its own session' },
    text: { notApplicable: 'takes an empty body and names nothing' },
    valid: () => ({}),
    success: {
      status: 204,
      as: ['fresh-session'],
      audit: ['auth.logout'],
      async check(res, c) {
        expect(c.after.sessions).toBe(c.before.sessions - 1);
        expect(res.headers.getSetCookie().join()).toMatch(/custos_session=;/);
        expect((await c.client.get('/v1/me')).status).toBe(401);
      },
    },
    invalid: { request: () => ({ body: { colour: 'red' } }), fields: ['colour'] },
    crossTenant: { notApplicable: "ends only the caller's own session" },
  },
  {
    method: 'GET',
    path: '/v1/me',
    access: { authenticated: 'answers about the caller itself' },
    valid: () => ({}),
    success: {
      status: 200,
      as: ['owner-key', 'role-session'],
      audit: [],
      check(res, c) {
        if (c.as === 'owner-key') {
          expect(res.body).toMatchObject({ user: null, serviceKey: { id: expect.stringMatching(/^tok_/) } });
          expect([...(res.body as { scopes: string[] }).scopes].sort()).toEqual([...CUSTOS_SCOPES].sort());
        } else {
          expect(res.body).toMatchObject({
            user: { role: 'viewer' },
            tenant: { id: c.world.a.tenantId },
            csrfToken: c.client.auth.csrfToken,
          });
        }
      },
    },
    invalid: NO_BODY,
    crossTenant: { notApplicable: 'answers about the caller itself; names no object' },
  },
  {
    method: 'POST',
    path: '/v1/users',
    access: { scope: 'custos:users:write' },
    secretFields: ['password'],
    valid: () => ({ body: { email: uniqueEmail('member'), password: PASSWORD, role: 'viewer' } }),
    success: {
      status: 201,
      as: BOTH,
      alsoHolds: ROLE_SCOPES.viewer,
      audit: ['user.created'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: expect.any(String), role: 'viewer' });
        expect(res.body).not.toHaveProperty('passwordHash');
        expect(c.after.users).toBe(c.before.users + 1);
      },
    },
    invalid: {
      request: () => ({ body: { email: 'not-an-email', password: 'short', role: 'emperor' } }),
      fields: ['email', 'password', 'role'],
    },
    crossTenant: CREATES_ONLY,
  },
  {
    method: 'GET',
    path: '/v1/users',
    access: { scope: 'custos:users:read' },
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(ids(res.body)).toContain(c.world.a.ownerId);
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'list', ids, mine: (c) => c.world.a.ownerId },
  },
  {
    method: 'PATCH',
    path: '/v1/users/:id',
    access: { scope: 'custos:users:write' },
    object: MEMBER,
    valid: () => ({ body: { role: 'auditor' } }),
    success: {
      status: 200,
      as: BOTH,
      alsoHolds: [...ROLE_SCOPES.viewer, ...ROLE_SCOPES.auditor],
      audit: ['user.role_changed'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, role: 'auditor' });
      },
    },
    invalid: { request: () => ({ body: { role: 'emperor', email: 'someone@example.test' } }), fields: ['role', 'email'] },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'DELETE',
    path: '/v1/users/:id',
    access: { scope: 'custos:users:write' },
    object: MEMBER,
    valid: () => ({}),
    success: {
      status: 204,
      as: BOTH,
      alsoHolds: ROLE_SCOPES.viewer,
      audit: ['user.removed'],
      async check(_res, c) {
        expect(c.after.users).toBe(c.before.users - 1);
        expect(ids((await c.world.aKey.get('/v1/users')).body)).not.toContain(fixtureOf(c).id);
      },
    },
    invalid: { notApplicable: 'takes no body' },
    crossTenant: { kind: 'object' },
  },
  // ---- services -------------------------------------------------------------------------------
  {
    method: 'POST',
    path: '/v1/services',
    access: { scope: 'custos:services:write' },
    valid: () => ({ body: { name: `svc-${tag()}`, allowedScopes: ['orders:read'] } }),
    success: {
      status: 201,
      as: BOTH,
      audit: ['service.created'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: expect.stringMatching(/^svc_/), allowedScopes: ['orders:read'] });
        expect(c.after.services).toBe(c.before.services + 1);
      },
    },
    invalid: {
      request: () => ({ body: { name: '', allowedScopes: ['Bad Scope'], publicJwk: 'not-a-jwk' } }),
      fields: ['name', 'allowedScopes', 'publicJwk'],
    },
    crossTenant: CREATES_ONLY,
  },
  {
    method: 'GET',
    path: '/v1/services',
    access: { scope: 'custos:services:read' },
    object: SERVICE,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(ids(res.body)).toContain(fixtureOf(c).id);
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'list', ids, mine: (c) => fixtureOf(c).id },
  },
  {
    method: 'GET',
    path: '/v1/services/:id',
    access: { scope: 'custos:services:read' },
    object: SERVICE,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, name: fixtureOf(c).name });
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'object' },
  },
  {
    method: 'PATCH',
    path: '/v1/services/:id',
    access: { scope: 'custos:services:write' },
    object: SERVICE,
    valid: () => ({ body: { description: 'patched by the route security suite' } }),
    success: {
      status: 200,
      as: BOTH,
      audit: ['service.updated'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, description: 'patched by the route security suite' });
      },
    },
    invalid: { request: () => ({ body: { name: '', allowedScopes: 'orders:read', colour: 'red' } }), fields: ['name', 'allowedScopes', 'colour'] },
    crossTenant: { kind: 'object' },
  },
  // ---- policy ---------------------------------------------------------------------------------
  {
    method: 'GET',
    path: '/v1/policy',
    access: { scope: 'custos:policy:read' },
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({ maxLifetimeSeconds: expect.any(Number), updatedAt: expect.any(String) });
        expect(Date.parse((res.body as { updatedAt: string }).updatedAt)).toBe(Date.parse(c.before.policyUpdatedAt!));
      },
    },
    invalid: NO_BODY,
    crossTenant: { notApplicable: "the caller's tenant's single policy; there is no id to point elsewhere" },
  },
  {
    method: 'PUT',
    path: '/v1/policy',
    access: { scope: 'custos:policy:write' },
    text: {
      probe: () => ({
        body: { maxLifetimeSeconds: 7_776_000, defaultRotationIntervalSeconds: null, defaultGracePeriodSeconds: 3600, disableUnusedAfterDays: 90, requireConsentFor: ['health'] },
      }),
    },
    valid: () => ({
      body: { maxLifetimeSeconds: 7_776_000, defaultRotationIntervalSeconds: null, defaultGracePeriodSeconds: 3600, disableUnusedAfterDays: 90 },
    }),
    success: {
      status: 200,
      as: BOTH,
      audit: ['policy.updated'],
      check(res, c) {
        expect(res.body).toMatchObject({ maxLifetimeSeconds: 7_776_000, defaultGracePeriodSeconds: 3600 });
        expect(c.after.policyUpdatedAt).not.toBe(c.before.policyUpdatedAt);
      },
    },
    invalid: {
      request: () => ({
        body: { maxLifetimeSeconds: 10, defaultRotationIntervalSeconds: 'weekly', defaultGracePeriodSeconds: -1, disableUnusedAfterDays: 0 },
      }),
      fields: ['maxLifetimeSeconds', 'defaultRotationIntervalSeconds', 'defaultGracePeriodSeconds', 'disableUnusedAfterDays'],
    },
    crossTenant: {
      kind: 'custom',
      title: "B replacing its own policy leaves A's untouched",
      async run({ world }) {
        const [beforeA, beforeB] = await Promise.all([tenantFootprint(world.a.tenantId), tenantFootprint(world.b.tenantId)]);
        const res = await world.bKey.put('/v1/policy', {
          maxLifetimeSeconds: 86_400, defaultRotationIntervalSeconds: null, defaultGracePeriodSeconds: 0, disableUnusedAfterDays: 30,
        });
        expect(res.status).toBe(200);
        expect(await tenantFootprint(world.a.tenantId)).toEqual(beforeA);
        expect((await tenantFootprint(world.b.tenantId)).policyUpdatedAt).not.toBe(beforeB.policyUpdatedAt);
      },
    },
  },
  // ---- tokens ---------------------------------------------------------------------------------
  {
    method: 'POST',
    path: '/v1/tokens',
    access: { scope: 'custos:tokens:issue' },
    // The owning service is the object of A the request names.
    object: SERVICE,
    valid: (c) => ({ body: { name: `issued-${tag()}`, scopes: ['orders:read'], expiresInSeconds: 3600, ownerServiceId: fixtureOf(c).id } }),
    success: {
      status: 201,
      as: BOTH,
      audit: ['token.issued'],
      check(res, c) {
        expect(res.body).toMatchObject({
          token: { status: 'active', scopes: ['orders:read'], ownerServiceId: fixtureOf(c).id, createdVia: c.as === 'role-session' ? 'dashboard' : 'api' },
          secret: expect.stringMatching(/^cus_live_/),
        });
        expect(c.after.tokens).toBe(c.before.tokens + 1);
      },
    },
    invalid: {
      request: () => ({ body: { name: '', scopes: ['Bad Scope'], expiresInSeconds: -1, colour: 'red' } }),
      fields: ['name', 'scopes', 'expiresInSeconds', 'colour'],
    },
    // Deliberate in the app (token-store.ts): an owner service outside the tenant is a field error of the body.
    crossTenant: { kind: 'object', outcome: { status: 400, code: 'VALIDATION_FAILED', field: 'ownerServiceId' } },
  },
  {
    method: 'GET',
    path: '/v1/tokens',
    access: { scope: 'custos:tokens:read' },
    object: TOKEN,
    valid: (c) => ({ query: `q=${fixtureOf(c).name!}` }),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(ids(res.body)).toEqual([fixtureOf(c).id]);
        expect(JSON.stringify(res.body)).not.toContain(fixtureOf(c).secret!);
      },
    },
    invalid: { request: () => ({ query: 'limit=0&status=bogus&colour=red' }), fields: ['limit', 'status', 'colour'] },
    crossTenant: { kind: 'list', ids, mine: (c) => fixtureOf(c).id },
  },
  {
    method: 'POST',
    path: '/v1/tokens/revoke',
    access: { scope: 'custos:tokens:revoke' },
    object: TOKEN,
    valid: (c) => ({ body: { ids: [fixtureOf(c).id], reason: 'route security suite' } }),
    success: {
      status: 200,
      as: BOTH,
      audit: ['token.revoked'],
      check(res, c) {
        expect(res.body).toMatchObject({ items: [{ id: fixtureOf(c).id, status: 'revoked', revokedReason: 'route security suite' }] });
      },
    },
    invalid: { request: () => ({ body: { ids: [], reason: '' } }), fields: ['ids', 'reason'] },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'GET',
    path: '/v1/tokens/:id',
    access: { scope: 'custos:tokens:read' },
    object: TOKEN,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, status: 'active' });
        expect(JSON.stringify(res.body)).not.toContain(fixtureOf(c).secret!);
        expect(res.body).not.toHaveProperty('secretHash');
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'object' },
  },
  {
    method: 'PATCH',
    path: '/v1/tokens/:id',
    access: { scope: 'custos:tokens:update' },
    object: TOKEN,
    valid: () => ({ body: { name: 'renamed by the route security suite' } }),
    success: {
      status: 200,
      as: BOTH,
      audit: ['token.updated'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, name: 'renamed by the route security suite' });
      },
    },
    invalid: {
      request: () => ({ body: { name: '', scopes: ['Bad Scope'], allowedCidrs: ['not-a-cidr'], colour: 'red' } }),
      fields: ['name', 'scopes', 'allowedCidrs', 'colour'],
    },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'GET',
    path: '/v1/tokens/:id/lineage',
    access: { scope: 'custos:tokens:read' },
    object: TOKEN,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(ids(res.body)).toEqual([fixtureOf(c).id]);
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'object' },
  },
  {
    method: 'POST',
    path: '/v1/tokens/:id/revoke',
    access: { scope: 'custos:tokens:revoke' },
    object: TOKEN,
    valid: () => ({ body: { reason: 'route security suite' } }),
    success: {
      status: 200,
      as: BOTH,
      audit: ['token.revoked'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, status: 'revoked', revokedReason: 'route security suite' });
      },
    },
    invalid: { request: () => ({ body: { reason: '', colour: 'red' } }), fields: ['reason', 'colour'] },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'POST',
    path: '/v1/tokens/:id/suspend',
    access: { scope: 'custos:tokens:update' },
    object: TOKEN,
    valid: () => ({ body: { reason: 'route security suite' } }),
    success: {
      status: 200,
      as: BOTH,
      audit: ['token.suspended'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, status: 'suspended', suspendedAt: expect.any(String) });
      },
    },
    invalid: { request: () => ({ body: { reason: '' } }), fields: ['reason'] },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'POST',
    path: '/v1/tokens/:id/resume',
    access: { scope: 'custos:tokens:update' },
    object: SUSPENDED_TOKEN,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: ['token.resumed'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, status: 'active', suspendedAt: null });
      },
    },
    invalid: { request: () => ({ body: { colour: 'red' } }), fields: ['colour'] },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'POST',
    path: '/v1/tokens/:id/rotate',
    access: { scope: 'custos:tokens:rotate' },
    object: TOKEN,
    valid: () => ({ body: { gracePeriodSeconds: 60 } }),
    success: {
      status: 201,
      as: BOTH,
      audit: ['token.rotated', 'token.issued'],
      check(res, c) {
        const body = res.body as { token: { id: string }; secret: string };
        expect(body.token.id).not.toBe(fixtureOf(c).id);
        expect(res.body).toMatchObject({
          token: { rotatedFromId: fixtureOf(c).id, status: 'active' },
          predecessor: { id: fixtureOf(c).id, status: 'rotating' },
          secret: expect.stringMatching(/^cus_live_/),
        });
        expect(body.secret).not.toBe(fixtureOf(c).secret);
      },
    },
    invalid: { request: () => ({ body: { gracePeriodSeconds: -1, colour: 'red' } }), fields: ['gracePeriodSeconds', 'colour'] },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'POST',
    path: '/v1/tokens/self/successor',
    access: { public: 'the credential is the rotated token itself, sent as Bearer (scheduled-rotation.e2e-spec.ts covers refusals)' },
    object: {
      kind: 'token',
      async make(w) {
        const token = await w.newToken();
        await rotateOnSchedule(w.a.tenantId, token.id);
        return token;
      },
    },
    valid: (c) => ({ headers: { authorization: `Bearer ${fixtureOf(c).secret}` } }),
    success: {
      status: 200,
      as: ['anonymous'],
      audit: ['token.successor_fetched'],
      check(res) {
        expect(res.body).toMatchObject({ format: 'plain', tokenId: expect.any(String), secret: expect.stringMatching(/^cus_live_/) });
        expect(res.headers.get('cache-control')).toBe('no-store');
      },
    },
    invalid: { notApplicable: 'takes no body and no query; what it reads is the Authorization header' },
    crossTenant: { notApplicable: "the token names its own tenant; no other tenant's object can be named" },
  },
  // ---- verify ---------------------------------------------------------------------------------
  {
    method: 'POST',
    path: '/v1/verify',
    access: { scope: 'custos:tokens:verify' },
    secretFields: ['token'],
    object: TOKEN,
    valid: (c) => ({ body: { token: fixtureOf(c).secret, scopes: ['orders:read'] } }),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({ valid: true, code: 'VALID', tokenId: fixtureOf(c).id, scopes: ['orders:read'] });
      },
    },
    invalid: {
      request: () => ({ body: { token: 42, scopes: 'orders:read', context: { ip: 'not-an-ip' }, colour: 'red' } }),
      fields: ['token', 'scopes', 'context.ip', 'colour'],
    },
    crossTenant: { kind: 'object', outcome: { status: 200, body: { valid: false, code: 'NOT_FOUND' } } },
  },
  // ---- audit ----------------------------------------------------------------------------------
  {
    method: 'GET',
    path: '/v1/audit-events',
    access: { scope: 'custos:audit:read' },
    object: TOKEN,
    valid: (c) => ({ query: `target=${fixtureOf(c).id}` }),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({ items: [{ action: 'token.issued', targetId: fixtureOf(c).id }] });
      },
    },
    invalid: { request: () => ({ query: 'limit=500&from=yesterday&colour=red' }), fields: ['limit', 'from', 'colour'] },
    crossTenant: {
      kind: 'list',
      ids: (body) => (body as Page<{ targetId: string | null; actorId: string | null }>).items.flatMap((e) => [e.targetId ?? '', e.actorId ?? '']),
      mine: (c) => fixtureOf(c).id,
    },
  },
  {
    method: 'GET',
    path: '/v1/audit-events/verify',
    access: { scope: 'custos:audit:read' },
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({ valid: true, checkedEvents: c.before.auditEvents, headSeq: c.before.auditHeadSeq });
      },
    },
    invalid: NO_BODY,
    crossTenant: {
      kind: 'custom',
      title: "B's verdict covers B's chain only",
      async run({ world }) {
        const mine = await tenantFootprint(world.b.tenantId);
        const res = await world.bKey.get('/v1/audit-events/verify');
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ valid: true, checkedEvents: mine.auditEvents, headSeq: mine.auditHeadSeq });
        expect(mine.auditHeadSeq).not.toBe((await tenantFootprint(world.a.tenantId)).auditHeadSeq);
      },
    },
  },
  {
    method: 'POST',
    path: '/v1/audit-events/checkpoints',
    access: { scope: 'custos:audit:checkpoint' },
    object: CHECKPOINT,
    text: { notApplicable: 'takes an empty body and names nothing' },
    valid: () => ({ body: {} }),
    success: {
      status: 201,
      as: BOTH,
      audit: ['audit.checkpoint_signed'],
      check(res, c) {
        // It signs the head as it stood, links to the checkpoint before it, and is on the record.
        expect(res.body).toMatchObject({
          id: expect.stringMatching(/^ckp_/),
          seq: c.before.auditHeadSeq,
          prev: fixtureOf(c).id,
          kid: fixtureOf(c).name,
          jws: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        });
        expect(c.after.auditCheckpoints).toBe(c.before.auditCheckpoints + 1);
        expect(c.after.signingKeys).toBe(c.before.signingKeys);
      },
    },
    invalid: { request: () => ({ body: { seq: 1, colour: 'red' } }), fields: ['seq', 'colour'] },
    crossTenant: {
      kind: 'custom',
      title: "B's checkpoint signs B's chain head, and A's checkpoints stay as they were",
      async run({ world }) {
        const [before, bHead] = [await tenantFootprint(world.a.tenantId), (await tenantFootprint(world.b.tenantId)).auditHeadSeq];
        const res = await world.bKey.post<{ seq: number; jws: string }>('/v1/audit-events/checkpoints', {});
        expect(res.status).toBe(201);
        expect(res.body.seq).toBe(bHead);
        const payload = JSON.parse(Buffer.from(res.body.jws.split('.')[1]!, 'base64url').toString('utf8')) as { tenantId: string };
        expect(payload.tenantId).toBe(world.b.tenantId);
        expect(await tenantFootprint(world.a.tenantId)).toEqual(before);
      },
    },
  },
  {
    method: 'GET',
    path: '/v1/audit-events/checkpoints',
    access: { scope: 'custos:audit:read' },
    object: CHECKPOINT,
    valid: () => ({ query: 'limit=200' }),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        // Newest first: the checkpoint just made leads.
        expect((res.body as Page<unknown>).items[0]).toMatchObject({ id: fixtureOf(c).id, kid: fixtureOf(c).name });
      },
    },
    invalid: { request: () => ({ query: 'limit=0&colour=red' }), fields: ['limit', 'colour'] },
    crossTenant: { kind: 'list', ids, mine: (c) => fixtureOf(c).id },
  },
  {
    method: 'GET',
    path: '/v1/audit-events/export',
    access: { scope: 'custos:audit:read' },
    text: { probe: () => ({ query: 'from=2026-01-01T00:00:00.000Z&to=2026-02-01T00:00:00.000Z' }) },
    // A tenant that signed before: the export's own signature makes no key.
    object: CHECKPOINT,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      // The export signs the head it ends on; taking the trail away is itself on the record.
      audit: ['audit.checkpoint_signed', 'audit.exported'],
      check(res, c) {
        expect(res.headers.get('content-type')).toContain('application/x-ndjson');
        expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="custos-audit-.+\.jsonl"$/);
        const lines = (res.body as string).trim().split('\n').map((l) => JSON.parse(l) as { type: string; tenantId?: string; seq?: number });
        expect(lines[0]).toMatchObject({ type: 'header', tenantId: c.world.a.tenantId, firstSeq: 1, lastSeq: c.before.auditHeadSeq });
        expect(lines.filter((l) => l.type === 'event')).toHaveLength(c.before.auditHeadSeq);
        expect(lines[lines.length - 2]).toMatchObject({ type: 'checkpoint', seq: c.before.auditHeadSeq });
        expect(lines[lines.length - 1]).toMatchObject({ type: 'jwks', keys: expect.any(Array) });
        expect(c.after.auditCheckpoints).toBe(c.before.auditCheckpoints + 1);
      },
    },
    invalid: { request: () => ({ query: 'from=yesterday&colour=red' }), fields: ['from', 'colour'] },
    crossTenant: {
      kind: 'custom',
      title: "B's export holds B's events only",
      async run({ world }) {
        const res = await world.bKey.get<string>('/v1/audit-events/export');
        expect(res.status).toBe(200);
        expect(res.body).toContain(world.b.tenantId);
        expect(res.body).not.toContain(world.a.tenantId);
      },
    },
  },
  {
    method: 'GET',
    path: '/v1/tenants/current/jwks.json',
    access: { scope: 'custos:audit:read' },
    object: CHECKPOINT,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        const { keys } = res.body as { keys: Array<Record<string, string>> };
        expect(keys[0]).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: fixtureOf(c).name, alg: 'ES256', use: 'sig' });
        expect(JSON.stringify(keys)).not.toMatch(/"d"|sealed|private/);
      },
    },
    invalid: NO_BODY,
    crossTenant: {
      kind: 'custom',
      title: "B's JWKS never holds A's keys",
      async run({ world }) {
        const kidsOf = async (client: ApiClient) =>
          ((await client.get<{ keys: Array<{ kid: string }> }>('/v1/tenants/current/jwks.json')).body.keys ?? []).map((k) => k.kid);
        const mine = await kidsOf(world.aKey);
        expect(mine.length).toBeGreaterThan(0);
        for (const kid of await kidsOf(world.bKey)) expect(mine).not.toContain(kid);
      },
    },
  },
  // ---- dashboard read models --------------------------------------------------------------------
  {
    method: 'GET',
    path: '/v1/inventory',
    access: { scope: 'custos:tokens:read' },
    object: TOKEN,
    valid: (c) => ({ query: `q=${fixtureOf(c).name!}&sort=expiresAt&order=asc` }),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(ids(res.body)).toEqual([fixtureOf(c).id]);
        expect(res.body).toMatchObject({ total: 1, totalCapped: false, nextCursor: null });
        expect(JSON.stringify(res.body)).not.toContain(fixtureOf(c).secret!);
      },
    },
    invalid: { request: () => ({ query: 'limit=0&sort=name&order=up&colour=red' }), fields: ['limit', 'sort', 'order', 'colour'] },
    crossTenant: { kind: 'list', ids, mine: (c) => fixtureOf(c).id },
  },
  {
    method: 'GET',
    path: '/v1/overview',
    access: { scope: 'custos:tokens:read' },
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        const body = res.body as { byStatus: Record<string, number>; daily: unknown[] };
        expect(Object.values(body.byStatus).reduce((a, b) => a + b, 0)).toBe(c.before.tokens);
        expect(body.daily).toHaveLength(30);
      },
    },
    invalid: NO_BODY,
    crossTenant: {
      kind: 'custom',
      title: "B's overview counts B's tokens only",
      async run({ world }) {
        const res = await world.bKey.get<{ byStatus: Record<string, number> }>('/v1/overview');
        expect(res.status).toBe(200);
        const counted = Object.values(res.body.byStatus).reduce((a, b) => a + b, 0);
        // Counted across tenants, it would include A's tokens too.
        expect(counted).toBe((await tenantFootprint(world.b.tenantId)).tokens);
      },
    },
  },
  // ---- webhooks -------------------------------------------------------------------------------
  {
    method: 'POST',
    path: '/v1/webhooks',
    access: { scope: 'custos:webhooks:write' },
    valid: () => ({ body: { url: `http://127.0.0.1:9/hooks/${tag()}`, events: ['token.revoked', 'token.expiring'] } }),
    success: {
      status: 201,
      as: BOTH,
      audit: ['webhook.created'],
      check(res, c) {
        expect(res.body).toMatchObject({
          webhook: { id: expect.stringMatching(/^whk_/), events: ['token.revoked', 'token.expiring'], deletedAt: null },
          secret: expect.stringMatching(/^whsec_/),
        });
        expect(c.after.webhooks).toBe(c.before.webhooks + 1);
      },
    },
    invalid: {
      request: () => ({ body: { url: 42, events: ['token.issued'], colour: 'red' } }),
      fields: ['url', 'events', 'colour'],
    },
    crossTenant: CREATES_ONLY,
  },
  {
    method: 'GET',
    path: '/v1/webhooks',
    access: { scope: 'custos:webhooks:read' },
    object: WEBHOOK,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(ids(res.body)).toContain(fixtureOf(c).id);
        expect(JSON.stringify(res.body)).not.toContain(fixtureOf(c).secret!);
        expect(JSON.stringify(res.body)).not.toMatch(/whsec_|secret/i);
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'list', ids, mine: (c) => fixtureOf(c).id },
  },
  {
    method: 'GET',
    path: '/v1/webhooks/:id',
    access: { scope: 'custos:webhooks:read' },
    object: WEBHOOK,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, url: fixtureOf(c).name, deletedAt: null });
        expect(JSON.stringify(res.body)).not.toMatch(/whsec_|secret/i);
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'object' },
  },
  {
    method: 'DELETE',
    path: '/v1/webhooks/:id',
    access: { scope: 'custos:webhooks:write' },
    object: WEBHOOK,
    valid: () => ({}),
    success: {
      status: 204,
      as: BOTH,
      audit: ['webhook.deleted'],
      async check(_res, c) {
        expect(c.after.webhooks).toBe(c.before.webhooks - 1);
        const after = await c.world.aKey.get(`/v1/webhooks/${fixtureOf(c).id}`);
        expect(after.body).toMatchObject({ id: fixtureOf(c).id, deletedAt: expect.any(String) });
      },
    },
    invalid: { notApplicable: 'takes no body' },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'GET',
    path: '/v1/webhooks/:id/deliveries',
    access: { scope: 'custos:webhooks:read' },
    object: WEBHOOK_WITH_DELIVERY,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({
          items: [{ endpointId: fixtureOf(c).id, eventType: 'token.revoked', messageId: expect.stringMatching(/^msg_/) }],
          nextCursor: null,
        });
      },
    },
    invalid: { request: () => ({ query: 'limit=0&status=bogus&colour=red' }), fields: ['limit', 'status', 'colour'] },
    crossTenant: { kind: 'object' },
  },
  // ---- consents -------------------------------------------------------------------------------
  {
    method: 'POST',
    path: '/v1/consents',
    access: { scope: 'custos:consents:write' },
    valid: () => ({
      body: {
        subjectRef: `subj_${tag()}`,
        purpose: 'order-fulfilment',
        dataCategories: ['personal'],
        lawfulBasis: 'consent',
        jurisdiction: 'EU',
        validFrom: new Date(Date.now() - 60_000).toISOString(),
        validUntil: new Date(Date.now() + 86400_000).toISOString(),
      },
    }),
    success: {
      status: 201,
      as: BOTH,
      audit: ['consent.created'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: expect.stringMatching(/^cns_/), status: 'active', version: 1, boundTokens: 0 });
        expect(c.after.consents).toBe(c.before.consents + 1);
        expect(c.after.consentVersions).toBe(c.before.consentVersions + 1);
      },
    },
    invalid: {
      request: () => ({
        body: {
          subjectRef: 'jane.doe@example.com',
          purpose: 'Bad Purpose',
          dataCategories: [],
          lawfulBasis: 'whim',
          jurisdiction: 'europe',
          validFrom: 'soon',
          colour: 'red',
        },
      }),
      fields: ['subjectRef', 'purpose', 'dataCategories', 'lawfulBasis', 'jurisdiction', 'validFrom', 'validUntil', 'colour'],
    },
    crossTenant: CREATES_ONLY,
  },
  {
    method: 'GET',
    path: '/v1/consents',
    access: { scope: 'custos:consents:read' },
    object: CONSENT,
    text: { probe: (c) => ({ query: `subjectRef=${fixtureOf(c).name!}&purpose=order-fulfilment&cursor=abc` }) },
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(ids(res.body)).toContain(fixtureOf(c).id);
      },
    },
    invalid: { request: () => ({ query: 'limit=0&status=bogus&colour=red' }), fields: ['limit', 'status', 'colour'] },
    crossTenant: { kind: 'list', ids, mine: (c) => fixtureOf(c).id },
  },
  {
    method: 'GET',
    path: '/v1/consents/:id',
    access: { scope: 'custos:consents:read' },
    object: CONSENT_WITH_TOKEN,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({
          id: fixtureOf(c).id,
          subjectRef: fixtureOf(c).name,
          versions: [{ version: 1 }],
          tokens: [{ status: 'active', dataCategories: ['personal'] }],
        });
        expect(JSON.stringify(res.body)).not.toMatch(/secret|hash|cus_live_/i);
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'object' },
  },
  {
    method: 'POST',
    path: '/v1/consents/:id/withdraw',
    access: { scope: 'custos:consents:write' },
    object: CONSENT_WITH_TOKEN,
    valid: () => ({ body: { reason: 'withdrawn by the data subject' } }),
    success: {
      status: 200,
      as: BOTH,
      audit: ['consent.withdrawn', 'token.revoked'],
      check(res, c) {
        expect(res.body).toMatchObject({ consent: { id: fixtureOf(c).id, status: 'withdrawn' }, revokedTokens: 1 });
        expect(c.after.withdrawnConsents).toBe(c.before.withdrawnConsents + 1);
      },
    },
    invalid: { request: () => ({ body: { reason: 42, colour: 'red' } }), fields: ['reason', 'colour'] },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'POST',
    path: '/v1/consents/:id/renew',
    access: { scope: 'custos:consents:write' },
    object: CONSENT,
    valid: () => ({ body: { validUntil: new Date(Date.now() + 90 * 86400_000).toISOString() } }),
    success: {
      status: 200,
      as: BOTH,
      audit: ['consent.renewed'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, version: 2, status: 'active' });
        expect(c.after.consentVersions).toBe(c.before.consentVersions + 1);
      },
    },
    invalid: { request: () => ({ body: { validUntil: 'later', colour: 'red' } }), fields: ['validUntil', 'colour'] },
    crossTenant: { kind: 'object' },
  },
  ...(['', '/export'] as const).map(
    (suffix): RouteSpec => ({
      method: 'GET',
      path: `/v1/subjects/:subjectRef${suffix}`,
      access: { scope: 'custos:consents:read' },
      object: CONSENT_WITH_TOKEN,
      valid: () => ({}),
      success: {
        status: 200,
        as: BOTH,
        // A data subject lookup is itself on the record.
        audit: [suffix ? 'subject.exported' : 'subject.viewed'],
        check(res, c) {
          expect(res.body).toMatchObject({
            subjectRef: fixtureOf(c).name,
            consents: [{ id: fixtureOf(c).id, versions: [{ version: 1 }], tokens: [{ status: 'active' }] }],
            totals: { consents: 1, tokens: 1, uses: 0 },
          });
          if (suffix) expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="custos-subject-.+\.json"$/);
        },
      },
      invalid: { notApplicable: 'takes no body or query; a malformed subjectRef is covered in consents.e2e-spec' },
      crossTenant: {
        kind: 'custom',
        title: "B's key asking for A's subjectRef finds nothing",
        async run(c) {
          const res = await c.world.bKey.get(`/v1/subjects/${encodeURIComponent(fixtureOf(c).name!)}${suffix}`);
          expect(res.status).toBe(200);
          expect(res.body).toMatchObject({ consents: [], totals: { consents: 0, tokens: 0, uses: 0 } });
        },
      },
    }),
  ),
  ...REPORT_ROUTES,
];

export const routeKey = (route: Pick<RouteSpec, 'method' | 'path'>): string => `${route.method} ${route.path}`;
