import { createHash } from 'node:crypto';
import { createVerifier, type Verifier } from '@custos/node';
import { ApiClient, issueToken, type TestTenant } from '@custos/testing';
import { median, percentile, round } from './lib/stats';

/**
 * The SDK's in-process verifier (issue 19): cached verifies against a bare SHA-256 of the same tokens
 * and against verify over HTTP; how soon a revocation made through another api instance is refused;
 * and whether every cached verify reaches Custos's counts under a sustained load.
 */
export interface SdkBenchSettings {
  tokens: number;
  loopSeconds: number;
  revocations: number;
  loadSeconds: number;
}

export interface SdkOutcome {
  cachedOpsPerSec: number;
  sha256OpsPerSec: number;
  /** cached ÷ SHA-256 loop. */
  vsSha256: number;
  /** cached ÷ the api's HTTP verify req/s of the verify phase (when it ran). */
  vsHttp: number | null;
  revokeToRefusedMs: { p50: number; p99: number; max: number };
  /** From the revocation's answer to the first refusal. */
  ackToRefusedMs: { p50: number; p99: number; max: number };
  load: { seconds: number; verifies: number; counted: number; lost: number };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await sleep(5);
  }
}

/** Ops per second of `op` over `tokens`, in rounds of 1000, for `seconds`. */
async function loop(seconds: number, tokens: readonly string[], op: (token: string) => unknown): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  const started = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < 1000; i++) {
      const answer = op(tokens[(done + i) % tokens.length]!);
      if (answer instanceof Promise) await answer;
    }
    done += 1000;
  }
  return done / ((performance.now() - started) / 1000);
}

export async function runSdkBench(
  target: { apiUrl: string; otherApiUrl: string; verifyKey: string; tenant: TestTenant; httpVerifyRps: number | null },
  settings: SdkBenchSettings,
  log: (line: string) => void,
): Promise<SdkOutcome> {
  const verifier: Verifier = createVerifier({ baseUrl: target.apiUrl, serviceKey: target.verifyKey, reportIntervalMs: 200 });
  try {
    await until(() => verifier.metrics().feed, (state) => state === 'connected', 10_000);
    const secrets: string[] = [];
    for (let i = 0; i < settings.tokens; i++) secrets.push((await issueToken(target.tenant.owner, { scopes: ['orders:read'], expiresInSeconds: 3600 })).secret);
    for (const secret of secrets) await verifier.verify(secret, { scopes: ['orders:read'] });

    // a. Cached verifies against hashing the same tokens, alternating, each twice.
    const cached: number[] = [];
    const hashed: number[] = [];
    for (let round_ = 0; round_ < 2; round_++) {
      hashed.push(await loop(settings.loopSeconds, secrets, (token) => createHash('sha256').update(token).digest()));
      cached.push(await loop(settings.loopSeconds, secrets, (token) => verifier.verify(token, { scopes: ['orders:read'] })));
    }
    const cachedOpsPerSec = median(cached);
    const sha256OpsPerSec = median(hashed);
    log(`  cached verify ${Math.round(cachedOpsPerSec)}/s, SHA-256 of the same tokens ${Math.round(sha256OpsPerSec)}/s`);
    if (verifier.metrics().misses > settings.tokens) throw new Error(`the loop was not answered from cache: ${JSON.stringify(verifier.metrics())}`);

    // b. Revocations through the other instance until the verifier refuses.
    const other = new ApiClient(target.otherApiUrl, target.tenant.owner.auth);
    const fromSend: number[] = [];
    const fromAck: number[] = [];
    for (let i = 0; i < settings.revocations; i++) {
      const issued = await issueToken(target.tenant.owner, { expiresInSeconds: 3600 });
      await verifier.verify(issued.secret);
      if (!(await verifier.verify(issued.secret)).cached) throw new Error('a fresh token was not cached');
      const sent = performance.now();
      const revoking = other.post(`/v1/tokens/${issued.token.id}/revoke`, { reason: 'bench' });
      let acked: number | undefined;
      void revoking.then(() => (acked = performance.now()));
      for (;;) {
        const answer = await verifier.verify(issued.secret);
        if (!answer.valid) break;
        if (performance.now() - sent > 5000) throw new Error('not refused within 5 s of its revocation');
        // Every millisecond, not in a spin: the bench process shares the machine's two cores with both
        // api instances, Postgres and Redis, and a spinning loop would take one that a service has to itself.
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      const refused = performance.now();
      if ((await revoking).status !== 200) throw new Error('revoke failed');
      fromSend.push(refused - sent);
      fromAck.push(Math.max(0, refused - (acked ?? refused)));
    }
    const dist = (values: number[]) => ({ p50: round(percentile(values, 50)), p99: round(percentile(values, 99)), max: round(Math.max(...values)) });
    log(`  revoke → refused: p50 ${round(percentile(fromSend, 50))} ms, p99 ${round(percentile(fromSend, 99))} ms over ${settings.revocations}`);

    // c. A sustained load of cached verifies: each one must be in the token's use count afterwards.
    const loaded = await issueToken(target.tenant.owner, { expiresInSeconds: 3600 });
    let verifies = 0;
    const end = performance.now() + settings.loadSeconds * 1000;
    while (performance.now() < end) {
      for (let i = 0; i < 200; i++) {
        if ((await verifier.verify(loaded.secret, { ip: '198.51.100.20' })).valid) verifies++;
      }
      // Leave the event loop to the reporter and the feed, as a service between requests would.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await verifier.flush();
    const counted = await until(
      async () => (await target.tenant.owner.get<{ useCount: number }>(`/v1/tokens/${loaded.token.id}`)).body.useCount,
      (count) => count >= verifies,
      15_000,
    ).catch(async () => (await target.tenant.owner.get<{ useCount: number }>(`/v1/tokens/${loaded.token.id}`)).body.useCount);
    log(`  ${verifies} verifies in ${settings.loadSeconds} s, ${counted} counted by Custos`);
    return {
      cachedOpsPerSec,
      sha256OpsPerSec,
      vsSha256: cachedOpsPerSec / sha256OpsPerSec,
      vsHttp: target.httpVerifyRps ? cachedOpsPerSec / target.httpVerifyRps : null,
      revokeToRefusedMs: dist(fromSend),
      ackToRefusedMs: dist(fromAck),
      load: { seconds: settings.loadSeconds, verifies, counted, lost: Math.max(0, verifies - counted) },
    };
  } finally {
    await verifier.close();
  }
}
