import type { CustosScope, Role } from '@custos/contracts';
import type { ApiClient, ApiResponse, AuthenticatorApp, TenantFootprint, TestTenant } from '@custos/testing';

// What a route of the catalogue declares, for the security cases (security-cases.ts) to run against it.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export const UNSAFE_METHODS: readonly HttpMethod[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** Kinds of tenant-owned objects a route can act on; the runner knows how to read each back. */
export type ObjectKind = 'token' | 'service' | 'user' | 'webhook' | 'consent' | 'checkpoint' | 'report' | 'alert' | 'access_review' | 'review_item' | 'invitation' | 'sso_config';

/** An object made in tenant A for a request to act on. */
export interface Fixture {
  id: string;
  name?: string;
  secret?: string;
  /** Further path parameters of the route (`:deliveryId`), by name. */
  params?: Readonly<Record<string, string>>;
  /** For routes about the caller's own account: a session of the person the fixture is (success as 'fixture-session'). */
  client?: ApiClient;
  /** That person's authenticator app, for routes that take a one-time code. */
  totp?: AuthenticatorApp;
  /** A WebAuthn answer made for this request (a passkey registration or assertion of a challenge the API gave the fixture's person or log-in). */
  webauthn?: unknown;
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
  /** An open alert of A: a `leaked` alert, raised by reporting a new token of A as leaked (name: that token's id). */
  newAlert(): Promise<Fixture>;
  /** An open access review campaign of A over one new token (name: that token's id; params.itemId: its item). */
  newCampaign(): Promise<Fixture>;
  /** A's single sign-on, configured with the test IdP (id and params.tenantSlug: A's slug). */
  newSsoConfig(): Promise<Fixture>;
  /** The test IdP (oidc-provider in a process of its own) the SSO routes configure. */
  ssoIdp: { issuer: string; clientId: string; clientSecret: string };
  /**
   * A new viewer of A signed in (client), with TOTP as asked: none, an enrolment waiting for its first
   * code, or on (totp: their app); name: their e-mail.
   */
  newPerson(totp: 'none' | 'pending' | 'on'): Promise<Fixture>;
  /** A pending invitation of A (name: its e-mail; secret and params.token: its link's one-time token). */
  newInvitation(role?: Role): Promise<Fixture>;
}

export interface RequestContext {
  world: World;
  /** The route's object in tenant A; present exactly when the route declares `object`. */
  fixture: Fixture | undefined;
  /** A fresh one-time code of the fixture's authenticator app, when it has one. */
  code?: string;
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
 * - fixture-session: the session of the person the route's object is (routes about the caller's own
 *   second factors and sessions, which need a person in a given state);
 * - anonymous: no credentials (public routes).
 */
export type SuccessPrincipal = 'scoped-key' | 'role-session' | 'owner-key' | 'fresh-session' | 'fixture-session' | 'anonymous';

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
  | { status: 200 | 202; body: unknown };

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
  /** As in the OpenAPI document, with `:id` for the object's id and the fixture's `params` for the others. */
  path: string;
  access: Access;
  /** The object of tenant A the request acts on (its id in `:id` or in the body), made per request. */
  object?: { kind: ObjectKind; make(world: World): Promise<Fixture> };
  /** A valid request. A one-time code in it comes from `c.code` (the fixture's authenticator app, read just before sending). */
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
   * Fields (body paths or query names) where a pasted token is searched on purpose (the token lists'
   * `q`: only its lookup id is used): they still refuse a NUL, and answer a pasted token without
   * SECRET_IN_TEXT and without echoing it.
   */
  searchFields?: readonly string[];
  /**
   * The text cases send the valid request with each of its strings changed. A route whose valid request
   * carries no string names another request that does (its optional text parameters), or why none applies.
   */
  text?: { probe(c: RequestContext): RequestParts } | NotApplicable;
  /**
   * For a route that authenticates its body by a signature instead of a credential (GitHub's leak
   * reports): the headers that sign exactly these bytes, so that any body sent (the OpenAPI example
   * too) can be signed.
   */
  signBody?(body: string): Record<string, string>;
  /**
   * For a route whose OpenAPI example names a service outside Custos (PUT /v1/sso: an IdP, read by
   * discovery): example strings → the test's stand-in for them, put in before the example is sent.
   */
  exampleStandIns?(world: World): Readonly<Record<string, string>>;
}
