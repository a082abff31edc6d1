import { randomUUID } from 'node:crypto';
import { generateToken } from '@custos/domain';
import fc from 'fast-check';
import { ApiClient, PASSWORD, issueToken, serviceKey, signupTenant, uniqueEmail, type ApiResponse, type TestTenant } from '@custos/testing';

/**
 * Property tests of the request validators (issue 12), against the running api: random and hostile
 * bodies, query strings and path parameters — deep nesting, NUL and other control characters, lone
 * surrogates, token-shaped strings, malformed JSON and percent-encoding — never answer 500, and every
 * 4xx is problem+json. Each property sends a few dozen requests (a few seconds); a failure prints its
 * seed, and CUSTOS_FC_SEED=<seed> replays it (libs/testing/src/fast-check-setup.ts).
 */

const RUNS = 60;

const apiToken = generateToken('live').raw;
const sessionToken = `cus_session_${'Zz9-_'.repeat(8)}abc`;

// Weighted towards what broke before (control characters, lone surrogates, secrets, deep nesting), so
// that a few dozen runs per route find a regression every time rather than now and then.
const hostileString: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.string({
      unit: fc.constantFrom('\u0000', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085', '\ud800', '\udc00', 'a', 'é', '𝄞', '_'),
      minLength: 1,
      maxLength: 12,
    }),
  },
  { weight: 3, arbitrary: fc.constantFrom(apiToken, `${apiToken}_x`, `x_${apiToken}`, sessionToken, `see ${sessionToken}.`) },
  { weight: 1, arbitrary: fc.constantFrom('', 'orders:read', 'a@b.test') },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }).map((s) => s + apiToken) },
);

/**
 * Arrays or objects nested across the parser's limit, and as deep as the 40,000 levels of issue 12.
 * Kept as a description and written out as JSON text only when sent (see wire): building, printing or
 * stringifying such a value recursively would overflow the test's own stack.
 */
class DeepValue {
  constructor(
    readonly levels: number,
    readonly inObjects: boolean,
  ) {}

  json(): string {
    return (this.inObjects ? '{"k":' : '[').repeat(this.levels) + '"leaf"' + (this.inObjects ? '}' : ']').repeat(this.levels);
  }

  [fc.toStringMethod](): string {
    return `<${this.inObjects ? 'objects' : 'arrays'} nested ${this.levels} deep>`;
  }
}

const deepValue: fc.Arbitrary<DeepValue> = fc
  .tuple(fc.oneof(fc.integer({ min: 20, max: 300 }), fc.integer({ min: 5_000, max: 40_000 })), fc.boolean())
  .map(([levels, inObjects]) => new DeepValue(levels, inObjects));

const { hostileValue } = fc.letrec((tie) => ({
  hostileValue: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    { weight: 5, arbitrary: hostileString },
    { weight: 2, arbitrary: deepValue },
    { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-1, 0, 1e21, 2 ** 53 + 1)) },
    { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
    { weight: 1, arbitrary: fc.array(tie('hostileValue'), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.dictionary(hostileString, tie('hostileValue'), { maxKeys: 4 }) },
  ),
}));

/** What to send instead of a route's valid body; applied to a fresh valid body on every run. */
type Mutation =
  | { kind: 'replace'; field: string; value: unknown }
  | { kind: 'whole'; value: unknown }
  | { kind: 'extra'; fields: Record<string, unknown> }
  | { kind: 'not-json'; text: string };

/** Mostly the valid body with one field replaced; sometimes anything at all, extra fields, or text that is not JSON. */
function mutationOf(fields: readonly string[]): fc.Arbitrary<Mutation> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('replace' as const), field: fc.constantFrom(...fields, 'unexpected'), value: hostileValue }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('whole' as const), value: hostileValue }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('extra' as const), fields: fc.dictionary(hostileString, hostileValue, { minKeys: 1, maxKeys: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('not-json' as const), text: fc.string({ unit: 'binary', maxLength: 40 }) }) },
  );
}

/** JSON text with every DeepValue written out in place. */
function jsonOf(value: unknown): string {
  const deep: DeepValue[] = [];
  const text = JSON.stringify(value, (_key, member: unknown) => (member instanceof DeepValue ? `\u0000deep${deep.push(member) - 1}` : member)) ?? 'null';
  return deep.length === 0 ? text : text.replace(/"\\u0000deep(\d+)"/g, (_match, index: string) => deep[Number(index)]!.json());
}

function wire(mutation: Mutation, valid: Record<string, unknown>): string {
  switch (mutation.kind) {
    case 'replace':
      return jsonOf({ ...valid, [mutation.field]: mutation.value });
    case 'whole':
      return jsonOf(mutation.value);
    case 'extra':
      return jsonOf({ ...valid, ...mutation.fields });
    case 'not-json':
      return mutation.text;
  }
}

function expectHandled(res: ApiResponse<unknown>, what: string): void {
  if (res.status >= 500) throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
  if (res.status < 400) return;
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status: res.status, code: expect.any(String), requestId: res.headers.get('x-request-id') });
}

describe('request validators (properties)', () => {
  const api = ApiClient.fromEnv();
  let tenant: TestTenant;
  let key: ApiClient;
  let tokenId: string;
  let revokable = 'tok_unset';

  beforeAll(async () => {
    tenant = await signupTenant(api, 'Fuzz');
    key = (await serviceKey(tenant)).client;
    tokenId = (await issueToken(key, { name: 'fuzz target' })).token.id;
  });

  interface FuzzedRoute {
    label: string;
    method: string;
    path: () => string;
    client: () => ApiClient;
    prepare?: () => Promise<void>;
    valid: () => Record<string, unknown>;
  }
  const routes: FuzzedRoute[] = [
    {
      label: 'POST /v1/signup',
      method: 'POST',
      path: () => '/v1/signup',
      client: () => api.anonymous(),
      valid: () => ({ organization: `Fuzz ${randomUUID().slice(0, 8)}`, email: uniqueEmail('fuzz'), password: PASSWORD }),
    },
    { label: 'POST /v1/auth/login', method: 'POST', path: () => '/v1/auth/login', client: () => api.anonymous(), valid: () => ({ email: uniqueEmail('nobody'), password: PASSWORD }) },
    {
      label: 'POST /v1/tokens',
      method: 'POST',
      path: () => '/v1/tokens',
      client: () => key,
      valid: () => ({ name: 'fuzzed', scopes: ['orders:read'], expiresInSeconds: 600, metadata: { team: 'a' } }),
    },
    { label: 'PATCH /v1/tokens/:id', method: 'PATCH', path: () => `/v1/tokens/${tokenId}`, client: () => key, valid: () => ({ name: 'renamed', metadata: { a: 1 } }) },
    {
      label: 'POST /v1/tokens/revoke',
      method: 'POST',
      path: () => '/v1/tokens/revoke',
      client: () => key,
      // A token still active for every run: a reason reaches the database only when something is revoked.
      prepare: async () => {
        revokable = (await issueToken(key, { name: 'fuzz revoke target' })).token.id;
      },
      valid: () => ({ ids: [revokable], reason: 'fuzz' }),
    },
    { label: 'POST /v1/services', method: 'POST', path: () => '/v1/services', client: () => key, valid: () => ({ name: `svc-${randomUUID().slice(0, 8)}`, description: 'fuzz' }) },
    {
      label: 'POST /v1/verify',
      method: 'POST',
      path: () => '/v1/verify',
      client: () => key,
      valid: () => ({ token: apiToken, scopes: ['orders:read'], context: { ip: '10.0.0.1', country: 'DE', resource: '/orders' } }),
    },
  ];

  it.each(routes)('$label never answers 500 to a random or hostile body, and every 4xx is problem+json', async (route) => {
    await fc.assert(
      fc.asyncProperty(mutationOf(Object.keys(route.valid())), async (mutation) => {
        await route.prepare?.();
        expectHandled(await route.client().request(route.method, route.path(), wire(mutation, route.valid())), route.label);
      }),
      { numRuns: RUNS },
    );
  });

  it('GET /v1/tokens never answers 500 to a random search, and every 4xx is problem+json', async () => {
    await fc.assert(
      fc.asyncProperty(hostileString, fc.constantFrom('q', 'status', 'scope', 'cursor', 'limit'), async (value, name) => {
        expectHandled(await key.get(`/v1/tokens?${new URLSearchParams({ [name]: value }).toString()}`), `?${name}=`);
      }),
      { numRuns: RUNS },
    );
  });

  it('never answers 500 to random bytes, percent-encoded, in a path parameter', async () => {
    const encodedBytes = fc.uint8Array({ minLength: 1, maxLength: 8 }).map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''));
    await fc.assert(
      fc.asyncProperty(encodedBytes, fc.constantFrom('/v1/tokens/', '/v1/services/', '/v1/consents/'), async (segment, prefix) => {
        expectHandled(await key.get(prefix + segment), prefix + segment);
      }),
      { numRuns: RUNS },
    );
  });
});
