import {
  ApiClient,
  PASSWORD,
  addUser,
  asOwner,
  auditEvents,
  signupTenant,
  startApi,
  uniqueEmail,
  type ApiResponse,
  type RunningApi,
  type TestTenant,
} from '@custos/testing';

// @runsAlone: its lock-outs last a second and its answers are timed; beside other suites, slowed answers outlast them.
/**
 * Password guessing against two api instances sharing one database and one Redis, as a deployment
 * behind a load balancer runs: failures are counted atomically and shared, a lock-out holds one
 * account and address (and grows), and an unknown account is answered exactly like a real one.
 */
interface Problem {
  code: string;
  detail: string;
  title: string;
  status: number;
  type: string;
}

const WRONG = 'not the password at all';
const MIN_RESPONSE_MS = 250;

describe('log-in throttling across api instances', () => {
  let first: RunningApi;
  let second: RunningApi;
  let tenant: TestTenant;

  beforeAll(async () => {
    const env = {
      CUSTOS_LOGIN_LOCKOUT_SECONDS: '1',
      CUSTOS_LOGIN_MIN_RESPONSE_MS: String(MIN_RESPONSE_MS),
      CUSTOS_LOGIN_ADDRESS_FAILURE_LIMIT: '100000',
    };
    [first, second] = await Promise.all([startApi(env), startApi(env)]);
    tenant = await signupTenant(new ApiClient(first.url), 'Throttle');
  }, 60_000);

  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
  });

  const instances = (from: string): ApiClient[] => [new ApiClient(first.url).from(from), new ApiClient(second.url).from(from)];
  const failureCount = (userId: string) =>
    asOwner(async (db) =>
      Number((await db.query<{ n: number }>(`SELECT failed_login_count AS n FROM users WHERE tenant_id = $1 AND id = $2`, [tenant.tenantId, userId])).rows[0]!.n),
    );

  it('counts 18 parallel wrong passwords on two instances exactly, evaluates only 5, then refuses the right one', async () => {
    const user = await addUser(tenant, 'viewer');
    const attackers = instances('127.0.0.11');
    const answers = await Promise.all(
      Array.from({ length: 18 }, (_, i) => attackers[i % 2]!.post<Problem>('/v1/auth/login', { email: user.email, password: WRONG })),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(13);
    // Every evaluated or refused attempt on the account is counted, none lost to a race.
    expect(await failureCount(user.id)).toBe(18);
    const failed = await auditEvents(tenant.owner, `action=auth.login_failed&target=${user.id}`);
    expect(failed.filter((e) => e.data.reason === 'bad_password')).toHaveLength(5);
    expect([...failed.map((e) => e.data.failures)].sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    expect(await auditEvents(tenant.owner, `action=auth.locked_out&target=${user.id}`)).toHaveLength(1);

    for (const attacker of attackers) {
      const right = await attacker.post<Problem>('/v1/auth/login', { email: user.email, password: PASSWORD });
      expect([right.status, right.body.code]).toEqual([429, 'RATE_LIMITED']);
    }
    // The person, from an address of their own, is not locked out by someone else's guesses.
    expect((await instances('127.0.0.12')[1]!.post('/v1/auth/login', { email: user.email, password: PASSWORD })).status).toBe(200);
  });

  it('answers an unknown account exactly like a real one, locked or not, and never faster than the floor', async () => {
    const user = await addUser(tenant, 'auditor');
    const [api] = instances('127.0.0.13');
    const sequence = async (email: string) => {
      const out: Array<{ answer: ApiResponse<Problem>; ms: number }> = [];
      for (let i = 0; i < 7; i++) {
        const started = performance.now();
        const answer = await api!.post<Problem>('/v1/auth/login', { email, password: WRONG });
        out.push({ answer, ms: performance.now() - started });
      }
      return out;
    };
    const known = await sequence(user.email);
    const unknown = await sequence(uniqueEmail('nobody'));
    const shape = (r: { answer: ApiResponse<Problem> }) => ({
      status: r.answer.status,
      body: { ...r.answer.body, requestId: undefined },
      retryAfter: r.answer.headers.get('retry-after') !== null,
      setCookie: r.answer.headers.getSetCookie(),
    });
    expect(known.map(shape)).toEqual(unknown.map(shape));
    expect(known.map((r) => r.answer.status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
    for (const { ms } of [...known, ...unknown]) expect(ms).toBeGreaterThanOrEqual(MIN_RESPONSE_MS - 5);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    expect(Math.abs(median(known.map((r) => r.ms)) - median(unknown.map((r) => r.ms)))).toBeLessThan(100);
  });

  it('ends a lock-out after its time, and makes the next one of the same account and address longer', async () => {
    const user = await addUser(tenant, 'viewer');
    const [api, other] = instances('127.0.0.14');
    const guess = (client: ApiClient) => client.post<Problem>('/v1/auth/login', { email: user.email, password: WRONG });
    for (let i = 0; i < 5; i++) expect((await guess(i % 2 ? other! : api!)).status).toBe(401);
    const firstLock = await guess(other!);
    expect([firstLock.status, firstLock.headers.get('retry-after')]).toEqual([429, '1']);

    await new Promise((resolve) => setTimeout(resolve, 1_200));
    for (let i = 0; i < 5; i++) expect((await guess(api!)).status).toBe(401);
    const secondLock = await guess(api!);
    expect([secondLock.status, secondLock.headers.get('retry-after')]).toEqual([429, '2']);

    await new Promise((resolve) => setTimeout(resolve, 2_200));
    expect((await other!.post('/v1/auth/login', { email: user.email, password: PASSWORD })).status).toBe(200);
    const lockouts = await auditEvents(tenant.owner, `action=auth.locked_out&target=${user.id}`);
    expect(lockouts).toHaveLength(2);
  });
});
