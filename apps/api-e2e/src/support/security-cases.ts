import { randomBytes, randomUUID } from 'node:crypto';
import { CUSTOS_SCOPES, ROLE_SCOPES, type CustosScope, type Role } from '@custos/contracts';
import { generateToken } from '@custos/domain';
import { generateReportNow, requestReport } from './report-fixtures';
import {
  ApiClient,
  AuthenticatorApp,
  PASSWORD,
  addUser,
  asOwner,
  createConsent,
  enrolTotp,
  createWebhook,
  issueToken,
  login,
  openCampaign,
  serviceKey,
  signCheckpoint,
  signupTenant,
  startTestIdp,
  tenantFootprint,
  uniqueEmail,
  userWithRole,
  type ApiResponse,
  type TestIdp,
  type TestTenant,
} from '@custos/testing';
import {
  UNSAFE_METHODS,
  type CrossTenantOutcome,
  type Fixture,
  type NotApplicable,
  type ObjectKind,
  type RequestContext,
  type RequestParts,
  type RouteSpec,
  type SuccessPrincipal,
  type World,
} from './route-catalogue';

/**
 * The same security cases for every route of the catalogue, as unkey's common-tests do: missing or
 * dead credentials, missing scope, CSRF, another tenant's object, invalid input that writes nothing,
 * and the success path with exactly the scope the route needs.
 */

export interface SecurityWorld extends World {
  /** Signed-in sessions of tenant A, one per role, each with its CSRF token. */
  sessions: Record<Role, ApiClient>;
  /** A service key of tenant A holding exactly these scopes (made once per set). */
  keyWith(scopes: readonly CustosScope[]): Promise<ApiClient>;
  /** Keys of A that worked until they were revoked / suspended. */
  revokedKey: ApiClient;
  suspendedKey: ApiClient;
}

interface CaseContext extends RequestContext {
  world: SecurityWorld;
  route: RouteSpec;
}

interface SecurityCase {
  name: string;
  run(c: CaseContext): Promise<void>;
}

const withArticle = (word: string): string => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;

/** From least to most privileged: the success path runs as the weakest role that may call the route. */
const ROLES_BY_PRIVILEGE: readonly Role[] = ['viewer', 'auditor', 'operator', 'admin', 'owner'];

async function expectStatus(res: Promise<ApiResponse<unknown>>, status: number, what: string): Promise<void> {
  const { status: got, body } = await res;
  if (got !== status) throw new Error(`${what}: expected ${status}, got ${got} ${JSON.stringify(body)}`);
}

/**
 * The suite's keys make thousands of requests a minute: past the default budget of a service key
 * (1,200 a minute) they would answer 429. The budget has its own test (rate-limits.e2e-spec).
 */
async function raiseKeyBudget(tenant: TestTenant): Promise<void> {
  const { updatedAt: _updatedAt, ...policy } = (await tenant.owner.get<Record<string, unknown>>('/v1/policy')).body;
  await expectStatus(tenant.owner.put('/v1/policy', { ...policy, apiRateLimit: { limit: 1_000_000, windowSeconds: 60 } }), 200, 'raise the key budget');
}

/** Two tenants, A's role sessions and keys; built once for the whole file. */
async function buildWorld(idp: TestIdp): Promise<SecurityWorld> {
  const api = ApiClient.fromEnv();
  const [a, b] = await Promise.all([signupTenant(api, 'Routes A'), signupTenant(api, 'Routes B')]);
  await Promise.all([raiseKeyBudget(a), raiseKeyBudget(b)]);
  const [admin, operator, auditor, viewer, aKey, bKey, revoked, suspended] = await Promise.all([
    userWithRole(a, 'admin'),
    userWithRole(a, 'operator'),
    userWithRole(a, 'auditor'),
    userWithRole(a, 'viewer'),
    serviceKey(a),
    serviceKey(b),
    serviceKey(a),
    serviceKey(a),
  ]);
  // Both keys worked before, so a later 401 is caused by the revocation / suspension alone.
  await expectStatus(revoked.client.get('/v1/me'), 200, 'key before revocation');
  await expectStatus(suspended.client.get('/v1/me'), 200, 'key before suspension');
  await expectStatus(a.owner.post(`/v1/tokens/${revoked.issued.token.id}/revoke`, { reason: 'route security suite' }), 200, 'revoke key');
  await expectStatus(a.owner.post(`/v1/tokens/${suspended.issued.token.id}/suspend`, {}), 200, 'suspend key');

  const keys = new Map<string, Promise<ApiClient>>();
  return {
    api,
    a,
    b,
    aKey: aKey.client,
    bKey: bKey.client,
    sessions: { owner: a.owner, admin, operator, auditor, viewer },
    revokedKey: revoked.client,
    suspendedKey: suspended.client,
    keyWith(scopes) {
      const id = [...scopes].sort().join(' ');
      let key = keys.get(id);
      if (!key) {
        key = serviceKey(a, scopes).then((k) => k.client);
        keys.set(id, key);
      }
      return key;
    },
    async newToken(overrides = {}) {
      const name = `fixture-${randomUUID().slice(0, 8)}`;
      const issued = await issueToken(a.owner, { name, ...overrides });
      return { id: issued.token.id, name, secret: issued.secret };
    },
    async newService(overrides = {}) {
      const name = `fixture-svc-${randomUUID().slice(0, 8)}`;
      const res = await a.owner.post<{ id: string }>('/v1/services', { name, allowedScopes: ['orders:read'], ...overrides });
      if (res.status !== 201) throw new Error(`service creation failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { id: res.body.id, name };
    },
    async newPerson(totp) {
      const person = await addUser(a, 'viewer');
      const fixture = { id: person.id, name: person.email, client: person.client };
      if (totp === 'none') return fixture;
      if (totp === 'on') return { ...fixture, totp: (await enrolTotp(person.client)).app };
      const started = await person.client.post<{ secret: string }>('/v1/me/mfa/totp', {});
      if (started.status !== 201) throw new Error(`TOTP enrolment failed: ${started.status} ${JSON.stringify(started.body)}`);
      return { ...fixture, totp: new AuthenticatorApp(started.body.secret) };
    },
    async newUser(role) {
      const email = uniqueEmail(`fixture-${role}`);
      const res = await a.owner.post<{ id: string }>('/v1/users', { email, password: PASSWORD, role });
      if (res.status !== 201) throw new Error(`user creation failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { id: res.body.id, name: email };
    },
    async newWebhook(overrides = {}) {
      // Port 9 (discard) has no listener: a worker that tries a delivery fails fast and retries later.
      const url = `http://127.0.0.1:9/hooks/fixture-${randomUUID().slice(0, 8)}`;
      const { webhook, secret } = await createWebhook(a.owner, url, ['token.revoked'], overrides);
      return { id: webhook.id, name: webhook.url, secret };
    },
    async newConsent(overrides = {}) {
      const consent = await createConsent(a.owner, overrides);
      return { id: consent.id, name: consent.subjectRef };
    },
    async newReport(options = { done: false }) {
      const report = await requestReport(a.owner);
      if (options.done) await generateReportNow(a.tenantId, report.id);
      return { id: report.id };
    },
    async newCheckpoint() {
      const checkpoint = await signCheckpoint(a.owner);
      return { id: checkpoint.id, name: checkpoint.kid };
    },
    async newAlert() {
      const token = await issueToken(a.owner, { name: `fixture-leak-${randomUUID().slice(0, 8)}` });
      await expectStatus(api.post('/v1/leaks', { token: token.secret, source: 'route security suite' }), 202, 'leak report');
      const res = await a.owner.get<{ items: Array<{ id: string }> }>(`/v1/alerts?rule=leaked&tokenId=${token.token.id}`);
      const [alert] = res.body.items;
      if (!alert) throw new Error(`no leaked alert for ${token.token.id}: ${res.status} ${JSON.stringify(res.body)}`);
      return { id: alert.id, name: token.token.id };
    },
    ssoIdp: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret },
    async newSsoConfig() {
      const res = await a.owner.put<{ tenantSlug: string }>('/v1/sso', {
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        roleClaim: 'groups',
        roleMapping: { 'custos-admins': 'admin' },
        defaultRole: 'viewer',
        enforce: false,
      });
      if (res.status !== 200) throw new Error(`SSO configuration failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { id: res.body.tenantSlug, params: { tenantSlug: res.body.tenantSlug } };
    },
    async newCampaign() {
      const scope = `fixture-review:${randomUUID().slice(0, 8)}`;
      const token = await issueToken(a.owner, { name: `fixture-review-${randomUUID().slice(0, 8)}`, scopes: [scope] });
      const campaign = await openCampaign(a.owner, { scope: { scopesAny: [scope] } });
      const items = await a.owner.get<{ items: Array<{ id: string }> }>(`/v1/access-reviews/items?campaignId=${campaign.id}`);
      const [item] = items.body.items;
      if (!item) throw new Error(`no item in campaign ${campaign.id}: ${items.status} ${JSON.stringify(items.body)}`);
      return { id: campaign.id, name: token.token.id, params: { itemId: item.id } };
    },
    async newInvitation(role = 'viewer') {
      const email = uniqueEmail(`fixture-invited-${role}`);
      const res = await a.owner.post<{ id: string; token: string }>('/v1/invitations', { email, role });
      if (res.status !== 201) throw new Error(`invitation failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { id: res.body.id, name: email, secret: res.body.token, params: { token: res.body.token } };
    },
  };
}

/** Registers the world's construction in the calling describe block; returns its getter. */
export function useSecurityWorld(): () => SecurityWorld {
  let world: SecurityWorld | undefined;
  let idp: TestIdp | undefined;
  beforeAll(async () => {
    idp = await startTestIdp([`${ApiClient.fromEnv().baseUrl}/v1/auth/sso/callback`]);
    world = await buildWorld(idp);
  }, 60_000);
  afterAll(() => idp?.stop());
  return () => {
    if (!world) throw new Error('the security world was not built');
    return world;
  };
}

// ---- requests and assertions ------------------------------------------------------------------

/** The route's path with the object's id (or a consent's subjectRef) put in, and the query. */
export function urlOf(route: RouteSpec, fixture: Fixture | undefined, query?: string): string {
  let path = route.path;
  if (path.includes(':id')) {
    if (!fixture) throw new Error(`${route.path} has an :id but declares no object`);
    path = path.replace(':id', encodeURIComponent(fixture.id));
  }
  if (path.includes(':subjectRef')) {
    if (!fixture?.name) throw new Error(`${route.path} needs a consent fixture, whose name is its subjectRef`);
    path = path.replace(':subjectRef', encodeURIComponent(fixture.name));
  }
  path = path.replace(/:(\w+)/g, (_, name: string) => {
    const value = fixture?.params?.[name];
    if (value === undefined) throw new Error(`${route.path} has :${name} but its fixture gives no such parameter`);
    return encodeURIComponent(value);
  });
  return query ? `${path}?${query}` : path;
}

function send(client: ApiClient, c: CaseContext, parts: RequestParts = c.route.valid(c)): Promise<ApiResponse<unknown>> {
  return client.request(c.route.method, urlOf(c.route, c.fixture, parts.query), parts.body, parts.headers);
}

export function expectProblem(res: ApiResponse<unknown>, status: number, code: string): void {
  // Status and body together, so a failure shows what the app answered.
  expect({ status: res.status, body: res.body }).toMatchObject({
    status,
    body: {
      status,
      code,
      type: `https://custos.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
      title: expect.any(String),
      detail: expect.any(String),
      requestId: res.headers.get('x-request-id'),
    },
  });
  expect(res.headers.get('content-type')).toContain('application/problem+json');
}

function fieldsOf(res: ApiResponse<unknown>): string[] {
  const errors = (res.body as { errors?: Array<{ field: string; message: string }> }).errors ?? [];
  for (const error of errors) expect(error.message).toEqual(expect.any(String));
  return errors.map((e) => e.field);
}

async function readObject(world: World, kind: ObjectKind, id: string): Promise<unknown> {
  switch (kind) {
    case 'token':
    case 'service':
    case 'webhook':
    case 'consent': {
      const res = await world.aKey.get(`/v1/${kind}s/${id}`);
      return { status: res.status, body: res.body };
    }
    case 'user': {
      const res = await world.aKey.get<{ items: Array<{ id: string }> }>('/v1/users');
      return res.body.items.find((u) => u.id === id) ?? null;
    }
    case 'alert': {
      const res = await world.aKey.get(`/v1/alerts/${id}`);
      return { status: res.status, body: res.body };
    }
    case 'access_review': {
      const res = await world.aKey.get(`/v1/access-reviews/${id}`);
      return { status: res.status, body: res.body };
    }
    case 'review_item': {
      for (let cursor: string | null = null; ; ) {
        const res: ApiResponse<{ items: Array<{ id: string }>; nextCursor: string | null }> = await world.aKey.get(
          `/v1/access-reviews/items?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
        );
        const item = res.body.items.find((i) => i.id === id);
        if (item || !res.body.nextCursor) return item ?? null;
        cursor = res.body.nextCursor;
      }
    }
    case 'report': {
      const res = await world.aKey.get(`/v1/reports/${id}`);
      return { status: res.status, body: res.body };
    }
    case 'invitation': {
      const res = await world.aKey.get<{ items: Array<{ id: string }> }>('/v1/invitations');
      return res.body.items.find((i) => i.id === id) ?? null;
    }
    case 'checkpoint': {
      const res = await world.aKey.get<{ items: Array<{ id: string }> }>('/v1/audit-events/checkpoints?limit=200');
      return res.body.items.find((c) => c.id === id) ?? null;
    }
    case 'sso_config': {
      const res = await world.aKey.get('/v1/sso');
      return { status: res.status, body: res.body };
    }
  }
}

/** Row counts, audit head and policy of the tenants, and the route's object as A reads it: read at once, both only read. */
async function stateOf(c: CaseContext, tenantIds: readonly string[]): Promise<unknown> {
  const [footprints, object] = await Promise.all([
    Promise.all(tenantIds.map((id) => tenantFootprint(id))),
    c.route.object && c.fixture ? readObject(c.world, c.route.object.kind, c.fixture.id) : null,
  ]);
  return { footprints, object };
}

async function expectNothingWritten(c: CaseContext, act: () => Promise<void>, tenantIds = [c.world.a.tenantId]): Promise<void> {
  const before = await stateOf(c, tenantIds);
  await act();
  expect(await stateOf(c, tenantIds)).toEqual(before);
}

async function auditActionsSince(tenantId: string, seq: number): Promise<string[]> {
  const { rows } = await asOwner((db) =>
    db.query<{ action: string }>(`SELECT action FROM audit_events WHERE tenant_id = $1 AND seq > $2 ORDER BY seq`, [tenantId, seq]),
  );
  return rows.map((r) => r.action);
}

// ---- the cases --------------------------------------------------------------------------------

const isApplicable = <T extends object>(spec: T | NotApplicable): spec is T => !('notApplicable' in spec);

function leastPrivilegedRoleWith(scope: CustosScope): Role {
  const role = ROLES_BY_PRIVILEGE.find((r) => ROLE_SCOPES[r].includes(scope));
  if (!role) throw new Error(`no role holds ${scope}`);
  return role;
}

function successRole(route: RouteSpec): Role {
  return 'scope' in route.access ? leastPrivilegedRoleWith(route.access.scope) : 'viewer';
}

function principalLabel(route: RouteSpec, as: SuccessPrincipal): string {
  switch (as) {
    case 'scoped-key':
      if (!('scope' in route.access)) throw new Error(`${route.path}: scoped-key needs a scope`);
      return route.success.alsoHolds
        ? `a service key holding ${route.access.scope} and the scopes of the role it acts on`
        : `a service key holding only ${route.access.scope}`;
    case 'role-session':
      return `${withArticle(successRole(route))} session with its CSRF token`;
    case 'owner-key':
      return 'a service key holding every custos scope';
    case 'fresh-session':
      return "a fresh session of the owner, with its CSRF token";
    case 'fixture-session':
      return "the session of the person the route acts for, with its CSRF token";
    case 'anonymous':
      return 'an anonymous caller';
  }
}

/** The client a success path runs as (see SuccessPrincipal). */
export async function principalClient(world: SecurityWorld, route: RouteSpec, as: SuccessPrincipal, fixture?: Fixture): Promise<ApiClient> {
  switch (as) {
    case 'fixture-session':
      if (!fixture?.client) throw new Error(`${route.path}: fixture-session needs an object with a client`);
      return fixture.client;
    case 'scoped-key':
      if (!('scope' in route.access)) throw new Error(`${route.path}: scoped-key needs a scope`);
      return world.keyWith([...new Set([route.access.scope, ...(route.success.alsoHolds ?? [])])]);
    case 'role-session':
      return world.sessions[successRole(route)];
    case 'owner-key':
      return world.aKey;
    case 'fresh-session':
      return login(world.api, world.a.email, world.a.password);
    case 'anonymous':
      return world.api.anonymous();
  }
}

function unauthenticatedCases(route: RouteSpec): SecurityCase[] {
  if ('public' in route.access) return [];
  const callers: Array<[string, (w: SecurityWorld) => ApiClient]> = [
    ['no credentials', (w) => w.api.anonymous()],
    ['a garbage bearer token', (w) => w.api.withAuth({ bearer: 'not-a-custos-token' })],
    ['a well-formed bearer token that was never issued', (w) => w.api.withAuth({ bearer: generateToken('live').raw })],
    ['a revoked service key', (w) => w.revokedKey],
    ['a suspended service key', (w) => w.suspendedKey],
    ['an unknown session cookie', (w) => w.api.withAuth({ cookie: `custos_session=cus_session_${randomBytes(24).toString('base64url')}` })],
  ];
  return callers.map(([label, client]) => ({
    name: `401 UNAUTHENTICATED with ${label}`,
    run: (c) => expectNothingWritten(c, async () => expectProblem(await send(client(c.world), c), 401, 'UNAUTHENTICATED')),
  }));
}

function forbiddenCases(route: RouteSpec): SecurityCase[] {
  if (!('scope' in route.access)) return [];
  const scope = route.access.scope;
  const allBut = CUSTOS_SCOPES.filter((s) => s !== scope);
  // Roles that hold the scope have no 403 case; if every role holds it, only the key case remains.
  const lacking = ROLES_BY_PRIVILEGE.filter((r) => !ROLE_SCOPES[r].includes(scope));
  return [
    {
      name: `403 FORBIDDEN for a service key holding every custos scope but ${scope}`,
      async run(c) {
        const key = await c.world.keyWith(allBut);
        await expectNothingWritten(c, async () => expectProblem(await send(key, c), 403, 'FORBIDDEN'));
      },
    },
    ...lacking.map(
      (role): SecurityCase => ({
        name: `403 FORBIDDEN for ${withArticle(role)} session (with its CSRF token)`,
        run: (c) => expectNothingWritten(c, async () => expectProblem(await send(c.world.sessions[role], c), 403, 'FORBIDDEN')),
      }),
    ),
  ];
}

function csrfCases(route: RouteSpec): SecurityCase[] {
  if ('public' in route.access || !UNSAFE_METHODS.includes(route.method)) return [];
  const ownerCookie = (w: SecurityWorld): string => w.a.owner.auth.cookie!;
  return [
    {
      name: "403 CSRF_FAILED for the owner's cookie session without X-CSRF-Token",
      run: (c) =>
        expectNothingWritten(c, async () =>
          expectProblem(await send(c.world.api.withAuth({ cookie: ownerCookie(c.world) }), c), 403, 'CSRF_FAILED'),
        ),
    },
    {
      name: "403 CSRF_FAILED for the owner's cookie session with another session's X-CSRF-Token",
      run: (c) =>
        expectNothingWritten(c, async () => {
          const client = c.world.api.withAuth({ cookie: ownerCookie(c.world), csrfToken: c.world.sessions.viewer.auth.csrfToken! });
          expectProblem(await send(client, c), 403, 'CSRF_FAILED');
        }),
    },
  ];
}

function expectOutcome(res: ApiResponse<unknown>, outcome: CrossTenantOutcome): void {
  if ('body' in outcome) {
    expect({ status: res.status, body: res.body }).toEqual({ status: outcome.status, body: outcome.body });
    return;
  }
  expectProblem(res, outcome.status, outcome.code);
  if (outcome.field) expect(fieldsOf(res)).toContain(outcome.field);
}

function crossTenantCases(route: RouteSpec): SecurityCase[] {
  const spec = route.crossTenant;
  if (!isApplicable(spec)) return [];
  switch (spec.kind) {
    case 'object': {
      const outcome = spec.outcome ?? { status: 404, code: 'NOT_FOUND' };
      const shown = 'body' in outcome ? `${outcome.status} ${JSON.stringify(outcome.body)}` : `${outcome.status} ${outcome.code}`;
      return [
        {
          name: `another tenant's key acting on A's ${route.object?.kind ?? 'object'} gets ${shown}, and nothing changes`,
          run: (c) =>
            expectNothingWritten(c, async () => expectOutcome(await send(c.world.bKey, c), outcome), [c.world.a.tenantId, c.world.b.tenantId]),
        },
      ];
    }
    case 'list':
      return [
        {
          name: "another tenant's list never contains A's item",
          async run(c) {
            const own = await send(c.world.aKey, c);
            expect(own.status).toBe(200);
            expect(spec.ids(own.body)).toContain(spec.mine(c));
            const theirs = await send(c.world.bKey, c);
            expect(theirs.status).toBe(200);
            expect(spec.ids(theirs.body)).not.toContain(spec.mine(c));
          },
        },
      ];
    case 'custom':
      return [{ name: spec.title, run: (c) => spec.run(c) }];
  }
}

function invalidCases(route: RouteSpec): SecurityCase[] {
  const spec = route.invalid;
  if (!isApplicable(spec)) return [];
  return [
    {
      name: `400 VALIDATION_FAILED naming ${spec.fields.join(', ')}, and nothing is written`,
      async run(c) {
        const client = 'public' in route.access ? c.world.api.anonymous() : c.world.aKey;
        const parts = spec.request(c);
        await expectNothingWritten(c, async () => {
          const res = await send(client, c, parts);
          expectProblem(res, 400, 'VALIDATION_FAILED');
          expect(fieldsOf(res)).toEqual(expect.arrayContaining([...spec.fields]));
        });
        await spec.nothingWritten?.(parts);
      },
    },
  ];
}

/** One string of a request that a case can change: a body field at any depth, a query or path parameter. */
interface TextSlot {
  field: string;
  /** The request and object with `suffix` appended to this string. */
  appended(suffix: string): { parts: RequestParts; fixture: Fixture | undefined };
}

function bodySlots(body: unknown, secretFields: readonly string[], path: readonly (string | number)[] = []): Array<{ field: string; path: (string | number)[] }> {
  const field = path.join('.');
  if (typeof body === 'string') return secretFields.includes(field) ? [] : [{ field, path: [...path] }];
  if (typeof body !== 'object' || body === null) return [];
  const entries: Array<[string | number, unknown]> = Array.isArray(body) ? body.map((v, i) => [i, v]) : Object.entries(body);
  return entries.flatMap(([key, value]) => bodySlots(value, secretFields, [...path, key]));
}

function withAppended(body: unknown, path: readonly (string | number)[], suffix: string): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  parent[last] = `${parent[last] as string}${suffix}`;
  return copy;
}

function textSlotsOf(route: RouteSpec, c: RequestContext): TextSlot[] {
  const parts = route.text && 'probe' in route.text ? route.text.probe(c) : route.valid(c);
  const slots: TextSlot[] = bodySlots(parts.body, route.secretFields ?? []).map(({ field, path }) => ({
    field,
    appended: (suffix) => ({ parts: { ...parts, body: withAppended(parts.body, path, suffix) }, fixture: c.fixture }),
  }));
  const query = new URLSearchParams(parts.query ?? '');
  for (const name of new Set(query.keys())) {
    slots.push({
      field: name,
      appended: (suffix) => {
        const changed = new URLSearchParams(query);
        changed.set(name, `${query.get(name)!}${suffix}`);
        return { parts: { ...parts, query: changed.toString() }, fixture: c.fixture };
      },
    });
  }
  for (const [param, key] of [['id', 'id'], ['subjectRef', 'name']] as const) {
    const fixture = c.fixture;
    if (!route.path.includes(`:${param}`) || !fixture) continue;
    slots.push({ field: param, appended: (suffix) => ({ parts, fixture: { ...fixture, [key]: `${fixture[key] ?? ''}${suffix}` } }) });
  }
  for (const [param, value] of Object.entries(c.fixture?.params ?? {})) {
    const fixture = c.fixture!;
    if (!route.path.includes(`:${param}`)) continue;
    slots.push({ field: param, appended: (suffix) => ({ parts, fixture: { ...fixture, params: { ...fixture.params, [param]: `${value}${suffix}` } } }) });
  }
  return slots;
}

/**
 * Issue 12, findings 5 and 9, on every route: each string the valid request carries answers 400 naming
 * it when it holds a NUL (VALIDATION_FAILED) or a Custos token (SECRET_IN_TEXT), and nothing is written.
 */
function textCases(route: RouteSpec): SecurityCase[] {
  // Routes that take no body, no query and no path parameter carry no text to test.
  if (route.text && !isApplicable(route.text)) return [];
  if (!route.text && !route.path.includes(':') && !isApplicable(route.invalid)) return [];
  const token = generateToken('live').raw;
  const cases: Array<[string, string, string]> = [
    ['a NUL', '\u0000', 'VALIDATION_FAILED'],
    ['a pasted token', ` ${token}`, 'SECRET_IN_TEXT'],
  ];
  return cases.map(([what, suffix, code]) => ({
    name: `400 ${code} naming any of its text fields that holds ${what}, and nothing is written`,
    async run(c) {
      const client = 'public' in route.access ? c.world.api.anonymous() : c.world.aKey;
      const all = textSlotsOf(route, c);
      expect(all.length).toBeGreaterThan(0);
      const searched = (slot: TextSlot) => code === 'SECRET_IN_TEXT' && (route.searchFields ?? []).includes(slot.field);
      await expectNothingWritten(c, async () => {
        for (const slot of all.filter((s) => !searched(s))) {
          const { parts, fixture } = slot.appended(suffix);
          const res = await send(client, { ...c, fixture }, parts);
          expectProblem(res, 400, code);
          expect({ field: slot.field, named: fieldsOf(res) }).toEqual({ field: slot.field, named: expect.arrayContaining([slot.field]) });
        }
      });
      // A search field takes the pasted token (its lookup id is searched) and never echoes it.
      for (const slot of all.filter(searched)) {
        const { parts, fixture } = slot.appended(suffix);
        const res = await send(client, { ...c, fixture }, parts);
        expect({ field: slot.field, status: res.status }).toEqual({ field: slot.field, status: 200 });
        expect(JSON.stringify(res.body)).not.toContain(token);
      }
    },
  }));
}

function successCases(route: RouteSpec): SecurityCase[] {
  return route.success.as.map((as) => ({
    name: `${route.success.status} for ${principalLabel(route, as)}`,
    async run(c) {
      // A fresh object: the success path may consume it (revoke, delete, rotate).
      const fixture = route.object ? await route.object.make(c.world) : undefined;
      const client = await principalClient(c.world, route, as, fixture);
      const ctx = { ...c, fixture, code: await fixture?.totp?.code() };
      const before = await tenantFootprint(c.world.a.tenantId);
      const res = await send(client, ctx);
      const after = await tenantFootprint(c.world.a.tenantId);
      expect({ status: res.status, body: res.body }).toMatchObject({ status: route.success.status });
      // Every change has its audit event, written with it; reads write none.
      expect(await auditActionsSince(c.world.a.tenantId, before.auditHeadSeq)).toEqual([...route.success.audit]);
      await route.success.check(res, { ...ctx, as, client, before, after });
    },
  }));
}

/** All the cases that apply to a route, in order; those that cannot apply say why in the catalogue. */
function securityCasesOf(route: RouteSpec): SecurityCase[] {
  return [
    ...unauthenticatedCases(route),
    ...forbiddenCases(route),
    ...csrfCases(route),
    ...crossTenantCases(route),
    ...invalidCases(route),
    ...textCases(route),
    ...successCases(route),
  ];
}

/** Registers the route's cases in the calling describe block, with one object of A for the failure cases. */
export function describeRouteSecurity(route: RouteSpec, worldOf: () => SecurityWorld): void {
  let fixture: Fixture | undefined;
  beforeAll(async () => {
    fixture = route.object ? await route.object.make(worldOf()) : undefined;
  });
  it.each(securityCasesOf(route))('$name', ({ run }) => run({ world: worldOf(), route, fixture }));
}
