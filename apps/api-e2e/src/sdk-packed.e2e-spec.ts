import { randomBytes } from 'node:crypto';
import { installPackedSdk, type PackedSdk } from '@custos/node/testing/packed-sdk';
import { ApiClient, deleteRedisNamespace, issueToken, pollUntil, serviceKey, signupTenant, startLauncher, startSecondApi, type RunningApi, type RunningLauncher, type TestTenant } from '@custos/testing';
import { PackedSdkConsumer, type VerifyLine } from './support/packed-sdk-consumer';

/** Revocations measured: the median is held to the issue's 50 ms, each one only to a loose bound. */
const REVOCATIONS = 5;
const REFUSED_WITHIN_MS = 50;
/** A loaded CI machine may stall any one measurement; a lost feed event would take far longer than this. */
const EACH_REFUSED_WITHIN_MS = 2_000;
const REPEATS = 5;

/** A wall-clock time in fractions of a millisecond, comparable with the consumer process's. */
const now = (): number => performance.timeOrigin + performance.now();
const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (ms: number): number => Math.round(ms * 10) / 10;

/**
 * Issue 19's "Done when", end to end: Custos started as the README says (`npm start`, embedded Postgres,
 * generated secrets), a second api instance of the same installation beside it, and a service that
 * installed the SDK from its `npm pack` tarball into an empty project. The service verifies through the
 * launcher's api; revocations go through the other instance.
 */
describe('the packed SDK, installed in an empty project, against Custos started as the README says', () => {
  // A namespace of its own in the shared Redis: this installation's worker takes no other run's jobs.
  const prefix = `{custos-sdk-packed-${randomBytes(4).toString('hex')}}`;
  let packed: PackedSdk;
  let launcher: RunningLauncher;
  let other: RunningApi;
  let tenant: TestTenant;
  let consumer: PackedSdkConsumer;
  /** Every VALID verify the service got, by token id: Custos must count each one as a use. */
  const validVerifies = new Map<string, { all: number; cached: number }>();
  const count = (tokenId: string, valid: number, cached: number): void => {
    const counted = validVerifies.get(tokenId) ?? { all: 0, cached: 0 };
    validVerifies.set(tokenId, { all: counted.all + valid, cached: counted.cached + cached });
  };
  const countLines = (tokenId: string, lines: readonly VerifyLine[]): void =>
    count(tokenId, lines.filter((l) => l.valid).length, lines.filter((l) => l.valid && l.cached).length);
  let main: { id: string; secret: string };

  beforeAll(async () => {
    // Building and packing the SDK and creating the embedded database take the longest: side by side.
    [packed, launcher] = await Promise.all([installPackedSdk(), startLauncher({ env: { CUSTOS_QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' } })]);
    other = await startSecondApi(launcher);
    tenant = await signupTenant(new ApiClient(launcher.url), 'Packed SDK');
    const key = await serviceKey(tenant, ['custos:tokens:verify']);
    consumer = PackedSdkConsumer.start(packed.consumer, { url: launcher.url, serviceKey: key.issued.secret });
    await consumer.ask({ do: 'feed', connected: true });
    const issued = await issueToken(tenant.owner, { scopes: ['orders:read'] });
    main = { id: issued.token.id, secret: issued.secret };
  }, 240_000);

  afterAll(async () => {
    await consumer?.stop();
    await other?.stop();
    await launcher?.stop();
    packed?.remove();
    await deleteRedisNamespace(prefix);
  }, 60_000);

  it('verifies a token through Custos first, then answers repeat verifies from cache', async () => {
    const first = await consumer.ask({ do: 'verify', token: main.secret, times: 1, scopes: ['orders:read'] });
    const repeats = await consumer.ask({ do: 'verify', token: main.secret, times: REPEATS, scopes: ['orders:read'] });
    countLines(main.id, [...first.results, ...repeats.results]);

    expect(first.results.map((r) => [r.code, r.cached])).toEqual([['VALID', false]]);
    expect(repeats.results.map((r) => [r.code, r.cached])).toEqual(Array.from({ length: REPEATS }, () => ['VALID', true]));
    expect({ hits: repeats.metrics.hits - first.metrics.hits, misses: repeats.metrics.misses - first.metrics.misses }).toEqual({ hits: REPEATS, misses: 0 });
  });

  it(`refuses a token within ${REFUSED_WITHIN_MS} ms (median of ${REVOCATIONS}) of its revocation through the other api instance`, async () => {
    const ownerOnOther = new ApiClient(other.url, tenant.owner.auth);
    const fromAnswer: number[] = [];
    const fromSend: number[] = [];
    for (let i = 0; i < REVOCATIONS; i++) {
      const issued = await issueToken(tenant.owner);
      const warm = await consumer.ask({ do: 'verify', token: issued.secret, times: 1 });
      countLines(issued.token.id, warm.results);
      // The service verifies in a loop from here on, answered from cache until the feed says otherwise.
      const { first } = await consumer.ask({ do: 'watch', token: issued.secret });
      expect([first.code, first.cached]).toEqual(['VALID', true]);
      const sent = now();
      const revoked = await ownerOnOther.post(`/v1/tokens/${issued.token.id}/revoke`, { reason: 'sdk-packed e2e' });
      const answered = now();
      const outcome = await consumer.ask({ do: 'watched' });
      count(issued.token.id, outcome.valid, outcome.validCached);

      expect(revoked.status).toBe(200);
      expect({ code: outcome.code, refused: outcome.refusedAt !== null }).toEqual({ code: 'REVOKED', refused: true });
      fromAnswer.push(round(outcome.refusedAt! - answered));
      fromSend.push(round(outcome.refusedAt! - sent));
    }
    // Negative: the service refused the token before the revoke's answer reached the test.
    const measured = { medianFromAnswerMs: median(fromAnswer), fromAnswerMs: fromAnswer, fromSendMs: fromSend };
    expect({ ...measured, medianWithinLimit: measured.medianFromAnswerMs <= REFUSED_WITHIN_MS, eachWithinBound: fromAnswer.every((ms) => ms <= EACH_REFUSED_WITHIN_MS) }).toEqual({
      ...measured,
      medianWithinLimit: true,
      eachWithinBound: true,
    });
  });

  it('goes to Custos for every verify while the feed is cut, and answers from cache again once it is back', async () => {
    await consumer.ask({ do: 'cut' });
    const down = await consumer.ask({ do: 'feed', connected: false });
    const cut = await consumer.ask({ do: 'verify', token: main.secret, times: REPEATS, scopes: ['orders:read'] });
    await consumer.ask({ do: 'restore' });
    countLines(main.id, cut.results);

    expect(down.metrics.feed).not.toBe('connected');
    expect(cut.results.map((r) => [r.code, r.cached])).toEqual(Array.from({ length: REPEATS }, () => ['VALID', false]));
    expect({ hits: cut.metrics.hits - down.metrics.hits, misses: cut.metrics.misses - down.metrics.misses }).toEqual({ hits: 0, misses: REPEATS });

    const back = await consumer.ask({ do: 'feed', connected: true });
    // The reconnection dropped the cache (what happened meanwhile is unknown): Custos once, then the cache.
    const after = await consumer.ask({ do: 'verify', token: main.secret, times: 2, scopes: ['orders:read'] });
    countLines(main.id, after.results);
    expect(after.results.map((r) => [r.code, r.cached])).toEqual([['VALID', false], ['VALID', true]]);
    expect({ hits: after.metrics.hits - back.metrics.hits, misses: after.metrics.misses - back.metrics.misses }).toEqual({ hits: 1, misses: 1 });
  });

  it("counts every VALID verify in the token's uses, those answered from cache included", async () => {
    const closed = await consumer.ask({ do: 'close' });
    expect({ pending: closed.metrics.reportsPending, dropped: closed.metrics.reportsDropped }).toEqual({ pending: 0, dropped: 0 });
    expect(validVerifies.get(main.id)!.cached).toBeGreaterThan(0);

    // Custos writes uses in batches (the api's usage flush): read until each count is there, or time runs out.
    const expected = Object.fromEntries([...validVerifies].map(([id, verifies]) => [id, verifies.all]));
    const counted = await pollUntil(
      async () => {
        const entries = await Promise.all(
          Object.keys(expected).map(async (id) => [id, (await tenant.owner.get<{ useCount: number }>(`/v1/tokens/${id}`)).body.useCount] as const),
        );
        return Object.fromEntries(entries);
      },
      (counts) => Object.entries(expected).every(([id, uses]) => counts[id] === uses),
      { timeoutMs: 10_000, intervalMs: 200 },
    ).catch((error: unknown) => ({ error: String(error) }));
    expect(counted).toEqual(expected);
  });
});
