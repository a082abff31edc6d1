import { ApiClient } from '@custos/testing';
import { ROUTES, UNSAFE_METHODS, routeKey, type Fixture, type RouteSpec } from './support/route-catalogue';
import { principalClient, urlOf, useSecurityWorld } from './support/security-cases';

// The parts of the OpenAPI document this test reads.
interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  example?: string | number;
}
interface Response {
  description: string;
  content?: Record<string, { schema?: { $ref?: string } }>;
}
interface Operation {
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, Response>;
  security?: Array<Record<string, string[]>>;
  'x-custos-scopes'?: string[];
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace']);
const PROBLEM_JSON = 'application/problem+json';
const PROBLEM_SCHEMA = '#/components/schemas/ProblemDetails';
/** Answers a route documents on purpose that are not problem+json (a load balancer reads readiness's 503). */
const OWN_ERROR_BODIES = new Set(['GET /health/ready 503']);

const operationsOf = (document: Document): Array<{ key: string; path: string; method: string; operation: Operation }> =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, path, method, operation })),
  );

const documentPath = (route: RouteSpec): string => route.path.replace(/:(\w+)/g, '{$1}');

/** What is wrong with an operation's documentation, checked against the route catalogue where it lists it. */
function flawsOf(key: string, path: string, method: string, operation: Operation, route: RouteSpec | undefined): string[] {
  const flaws: string[] = [];
  const flaw = (what: string) => flaws.push(`${key}: ${what}`);
  if (!operation.summary?.trim()) flaw('no summary');
  if (!operation.description?.includes('**Permissions:**')) flaw('no permissions in its description');

  const parameters = operation.parameters ?? [];
  const takesInput = operation.requestBody !== undefined || parameters.length > 0;
  const isPublic = route ? 'public' in route.access : (operation.security ?? []).length === 0;
  const unsafe = UNSAFE_METHODS.includes(method.toUpperCase() as (typeof UNSAFE_METHODS)[number]);
  const expected = new Set<string>();
  if (takesInput) expected.add('400');
  if (!isPublic) expected.add('401');
  if (route && 'scope' in route.access) {
    expected.add('403');
    if (JSON.stringify(operation['x-custos-scopes']) !== JSON.stringify([route.access.scope])) {
      flaw(`x-custos-scopes is ${JSON.stringify(operation['x-custos-scopes'])}, the route needs ${route.access.scope}`);
    }
    if (!operation.description?.includes(`\`${route.access.scope}\``)) flaw(`its description does not name ${route.access.scope}`);
  } else if (operation['x-custos-scopes']) {
    flaw(`x-custos-scopes on a route that needs no scope`);
  }
  if (!isPublic && unsafe) expected.add('403');
  if (/\{id\}/.test(path)) expected.add('404');
  if (route && 'public' in route.access && !operation.description?.toLowerCase().includes('public')) flaw('a public route that does not say so');
  if (!isPublic) {
    const schemes = (operation.security ?? []).map((s) => Object.keys(s).sort().join('+'));
    const session = unsafe ? 'cookie+csrf' : 'cookie';
    if (JSON.stringify(schemes) !== JSON.stringify(['bearer', session])) flaw(`security ${JSON.stringify(schemes)}, not a service key or a ${session} session`);
  }

  const statuses = Object.keys(operation.responses);
  for (const status of expected) if (!statuses.includes(status)) flaw(`no ${status} response`);
  for (const status of statuses.filter((s) => Number(s) >= 400 && !OWN_ERROR_BODIES.has(`${key} ${s}`))) {
    const schema = operation.responses[status]!.content?.[PROBLEM_JSON]?.schema?.$ref;
    if (schema !== PROBLEM_SCHEMA) flaw(`its ${status} is not ${PROBLEM_JSON} with the ProblemDetails schema`);
  }

  if (operation.requestBody && operation.requestBody.content['application/json']?.example === undefined) flaw('a JSON body without an example');
  for (const p of parameters.filter((p) => p.in === 'query' && p.required && p.example === undefined)) {
    flaw(`required query parameter ${p.name} without an example`);
  }
  return flaws;
}

/**
 * A string of the example that is an id of the fixture's kind (`tok_…` for a token) becomes the fixture's
 * id; a one-time code (six digits) a current code of the fixture's authenticator app, an mfaToken
 * (`cmfa_…`) the fixture's own, and a WebAuthn `response` the fixture's.
 */
function withFixtureIds(value: unknown, fixture: Fixture | undefined, code: string | undefined): unknown {
  const prefix = fixture?.id.split('_')[0];
  if (typeof value === 'string') {
    if (code && /^\d{6}$/.test(value)) return code;
    if (fixture?.secret && value.startsWith('cmfa_')) return fixture.secret;
    return prefix && new RegExp(`^${prefix}_[0-9A-Za-z]{22}$`).test(value) ? fixture!.id : value;
  }
  if (Array.isArray(value)) return value.map((v) => withFixtureIds(v, fixture, code));
  if (typeof value === 'object' && value !== null) {
    // A WebAuthn answer cannot be written in advance: the fixture's, signed for the challenge it was given.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'response' && fixture?.webauthn ? fixture.webauthn : withFixtureIds(v, fixture, code)]));
  }
  return value;
}

/** Example strings naming a service outside Custos, replaced by the test's stand-in (RouteSpec.exampleStandIns). */
function withStandIns(value: unknown, standIns: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') return Object.prototype.hasOwnProperty.call(standIns, value) ? standIns[value] : value;
  if (Array.isArray(value)) return value.map((v) => withStandIns(v, standIns));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withStandIns(v, standIns)]));
  return value;
}

/**
 * Issue 14: /openapi.json is a contract a client can trust. Every operation has a summary, says who may
 * call it, and documents its problem+json errors; and every request example it shows is accepted by the
 * API as it stands, sent with the least privilege the route security suite proves enough.
 */
describe('the OpenAPI document', () => {
  const world = useSecurityWorld();
  let document: Document;

  beforeAll(async () => {
    const res = await ApiClient.fromEnv().get<Document>('/openapi.json');
    expect(res.status).toBe(200);
    document = res.body;
  });

  it('documents every operation: summary, permissions, security and its problem+json errors', () => {
    const byKey = new Map(ROUTES.map((route) => [routeKey({ method: route.method, path: documentPath(route) }), route]));
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThan(ROUTES.length);
    const flaws = operations.flatMap(({ key, path, method, operation }) => flawsOf(key, path, method, operation, byKey.get(key)));
    expect(flaws).toEqual([]);
    expect(document.components.schemas).toHaveProperty('ProblemDetails');
  });

  // In the catalogue's order, which the examples rely on once: the log-in example signs in the owner
  // that the sign-up example creates.
  it.each(ROUTES)('$method $path: an example of each input it takes, which the API accepts', async (route) => {
    const operation = document.paths[documentPath(route)]?.[route.method.toLowerCase()];
    if (!operation) throw new Error(`${routeKey(route)} is not in the document`);
    const body = operation.requestBody?.content['application/json']?.example;
    const query = (operation.parameters ?? []).filter((p) => p.in === 'query' && p.example !== undefined);
    if (body === undefined && query.length === 0) {
      // Nothing to show: no body, no query parameter it needs.
      expect(operation.requestBody).toBeUndefined();
      expect((operation.parameters ?? []).filter((p) => p.in === 'query' && p.required)).toEqual([]);
      return;
    }
    const fixture = route.object ? await route.object.make(world()) : undefined;
    const client = await principalClient(world(), route, route.success.as[0]!, fixture);
    const search = new URLSearchParams(query.map((p): [string, string] => [p.name, String(p.example)])).toString();
    const sent = withStandIns(withFixtureIds(body, fixture, await fixture?.totp?.code()), route.exampleStandIns?.(world()) ?? {});
    const res = await client.request(route.method, urlOf(route, fixture, search), sent, route.signBody?.(JSON.stringify(sent)));
    // Status and body together, so a refused example shows why.
    expect({ status: res.status, body: res.status >= 400 ? res.body : 'accepted' }).toEqual({ status: route.success.status, body: 'accepted' });
  });
});
