import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { ApiClient, issueToken, serviceKey, signupTenant } from '@custos/testing';
import { createBenchDatabase, type BenchDatabase } from './lib/bench-database';
import { benchSecrets, startBenchApi, startBenchWorker } from './lib/bench-api';
import { stopAll } from './lib/processes';
import { percentile, round } from './lib/stats';

/**
 * `npm run bench:alerts` (docs/benchmarks.md, issue 16): two api instances and a worker on one database
 * and Redis, at the default flush interval (CUSTOS_USAGE_FLUSH_INTERVAL_MS) unless BENCH_FLUSH_MS says.
 *
 * 1. A revoked token presented to A: the time until GET /v1/alerts lists its dead_token_used alert
 *    (target p95 ≤ 2 s).
 * 2. Remediation: many_networks set to suspend at a threshold of 3; a token used from 3 addresses, then
 *    the offending 4th: the time from that verify to the token refused SUSPENDED on both A and B
 *    (target p95 ≤ 1 s). Baseline of the same run: a token suspended through the API on A, until both
 *    instances refuse it (the invalidation alone).
 * 3. A GitHub secret scanning report of 1,000 live tokens, signed by a key served locally: the
 *    request's time (target ≤ 10 s), against a report of 1,000 strings that are no tokens.
 */
const TRIALS = Number(process.env.BENCH_ALERT_TRIALS ?? 40);
const FLUSH_MS = process.env.BENCH_FLUSH_MS;
const BATCH = Number(process.env.BENCH_GITHUB_BATCH ?? 1000);
const POLL_LIMIT_MS = 20_000;
const log = (line: string): void => void process.stdout.write(`${line}\n`);
let database: BenchDatabase | undefined;
let worker: ChildProcess | undefined;

/**
 * A pause of a random part of a flush interval before the measured use. Without it every trial starts
 * right after the previous trial's flush (its end waits for one), and would measure a whole interval
 * each time instead of the wait a use arriving at any moment sees.
 */
const FLUSH_INTERVAL_MS = Number(FLUSH_MS ?? 500);
const randomPhase = () => new Promise((resolve) => setTimeout(resolve, Math.random() * FLUSH_INTERVAL_MS));

const summary = (values: readonly number[]) => `p50 ${round(percentile(values, 50), 0)} ms, p95 ${round(percentile(values, 95), 0)} ms, max ${round(Math.max(...values), 0)} ms`;

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<void> {
  const started = performance.now();
  while (!done(await read())) {
    if (performance.now() - started > POLL_LIMIT_MS) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function main(): Promise<number> {
  const db = await createBenchDatabase();
  database = db;
  const secrets = benchSecrets();
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyDocument = JSON.stringify({ public_keys: [{ key_identifier: 'bench', key: publicKey.export({ type: 'spki', format: 'pem' }), is_current: true }] });
  const keyServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(keyDocument));
  await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
  const prefix = `{custos-bench-alerts-${randomUUID().slice(0, 8)}}`;
  const env: Record<string, string> = {
    CUSTOS_QUEUE_PREFIX: prefix,
    CUSTOS_GITHUB_SCANNING_KEYS_URL: `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}/keys`,
    CUSTOS_LEAK_REPORT_RATE_LIMIT: '1000000',
    ...(FLUSH_MS ? { CUSTOS_USAGE_FLUSH_INTERVAL_MS: FLUSH_MS } : {}),
  };
  try {
    const [a, b] = await Promise.all([startBenchApi(db, 'api-a', secrets, env), startBenchApi(db, 'api-b', secrets, env)]);
    worker = startBenchWorker(db, secrets, { CUSTOS_QUEUE_PREFIX: prefix });
    const tenant = await signupTenant(new ApiClient(a.url), 'Alerts Bench');
    // The bench polls the API far past a service key's default budget (1,200 requests a minute).
    const { updatedAt: _updatedAt, ...current } = (await tenant.owner.get<Record<string, unknown>>('/v1/policy')).body;
    const putPolicy = async (changes: Record<string, unknown>) => {
      const put = await tenant.owner.put('/v1/policy', { ...current, apiRateLimit: { limit: 1_000_000, windowSeconds: 60 }, ...changes });
      if (put.status !== 200) throw new Error(`policy refused: ${put.status} ${JSON.stringify(put.body)}`);
    };
    await putPolicy({});
    const key = await serviceKey(tenant, ['custos:tokens:issue', 'custos:tokens:revoke', 'custos:tokens:update', 'custos:tokens:verify', 'custos:alerts:read']);
    const onA = new ApiClient(a.url, key.client.auth);
    const onB = new ApiClient(b.url, key.client.auth);
    const verify = async (on: ApiClient, token: string, ip: string) => (await on.post<{ code: string }>('/v1/verify', { token, context: { ip } })).body.code;
    log(`flush interval: ${FLUSH_MS ?? 'default (500)'} ms; ${TRIALS} trials each`);

    // 1. verify → alert
    const alertMs: number[] = [];
    for (let i = 0; i < TRIALS; i++) {
      const { token, secret } = await issueToken(onA, { name: `dead ${i}` });
      await onA.post(`/v1/tokens/${token.id}/revoke`, { reason: 'alerts bench' });
      await randomPhase();
      const presented = performance.now();
      if ((await verify(onA, secret, '203.0.113.9')) !== 'REVOKED') throw new Error('the revoked token was not refused');
      await until(() => onA.get<{ items: unknown[] }>(`/v1/alerts?rule=dead_token_used&tokenId=${token.id}`), (res) => res.body.items.length > 0);
      alertMs.push(performance.now() - presented);
    }
    log(`revoked token presented → dead_token_used alert listed: ${summary(alertMs)} (target p95 ≤ 2000 ms)`);

    // 2. offending verify → SUSPENDED on both instances, against a suspension through the API
    await putPolicy({ alerts: { rules: { many_networks: { threshold: 3, remediation: 'suspend' } } } });
    const bothRefuse = async (secret: string, ip: string) => {
      let onARefused = false;
      let onBRefused = false;
      await until(
        async () => {
          if (!onARefused) onARefused = (await verify(onA, secret, ip)) === 'SUSPENDED';
          if (!onBRefused) onBRefused = (await verify(onB, secret, ip)) === 'SUSPENDED';
          return onARefused && onBRefused;
        },
        (done) => done,
      );
    };
    const remediationMs: number[] = [];
    const manualMs: number[] = [];
    for (let i = 0; i < TRIALS; i++) {
      const { secret } = await issueToken(onA, { name: `shared ${i}` });
      for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) if ((await verify(onA, secret, ip)) !== 'VALID') throw new Error('not VALID');
      await randomPhase();
      const offending = performance.now();
      if ((await verify(onA, secret, '198.51.100.4')) !== 'VALID') throw new Error('the 4th use was refused before remediation');
      await bothRefuse(secret, '198.51.100.4');
      remediationMs.push(performance.now() - offending);

      const manual = await issueToken(onA, { name: `manual ${i}` });
      await verify(onB, manual.secret, '198.51.100.1');
      const asked = performance.now();
      await onA.post(`/v1/tokens/${manual.token.id}/suspend`, {});
      await bothRefuse(manual.secret, '198.51.100.1');
      manualMs.push(performance.now() - asked);
    }
    log(`offending verify → SUSPENDED on A and B: ${summary(remediationMs)} (target p95 ≤ 1000 ms)`);
    log(`baseline, suspend through the API on A → SUSPENDED on A and B: ${summary(manualMs)}`);

    // 3. GitHub report of BATCH live tokens, against BATCH strings that are no tokens
    const secretsToReport: string[] = [];
    for (let i = 0; i < BATCH; i++) secretsToReport.push((await issueToken(onA, { name: `leak ${i}` })).secret);
    const report = async (tokens: readonly string[]) => {
      const body = JSON.stringify(tokens.map((token) => ({ token, type: 'custos_api_token', url: 'https://github.com/bench/repo/blob/1/.env', source: 'content' })));
      const signature = sign('sha256', Buffer.from(body), { key: privateKey, dsaEncoding: 'der' }).toString('base64');
      const started = performance.now();
      const res = await fetch(`${a.url}/v1/secret-scanning/github`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'github-public-key-identifier': 'bench', 'github-public-key-signature': signature },
        body,
      });
      const labels = (await res.json()) as { label: string }[];
      return { ms: performance.now() - started, status: res.status, positives: labels.filter((l) => l.label === 'true_positive').length };
    };
    const fakes = await report(Array.from({ length: BATCH }, (_, i) => `not-a-token-${i}-${randomUUID()}`));
    const real = await report(secretsToReport);
    if (real.status !== 200 || real.positives !== BATCH) throw new Error(`report answered ${real.status} with ${real.positives} true positives`);
    if ((await verify(onB, secretsToReport[BATCH - 1]!, '203.0.113.9')) !== 'REVOKED') throw new Error('a reported token is not revoked');
    log(`GitHub report of ${BATCH} live tokens: ${round(real.ms, 0)} ms, every one revoked (target ≤ 10000 ms); ${BATCH} non-tokens: ${round(fakes.ms, 0)} ms; ratio ${round(real.ms / Math.max(fakes.ms, 1), 1)}`);
    const met = percentile(alertMs, 95) <= 2000 && percentile(remediationMs, 95) <= 1000 && real.ms <= 10_000;
    log(`targets: ${met ? 'met' : 'NOT met'}`);
    return 0;
  } finally {
    keyServer.close();
  }
}

void main()
  .then(
    (code) => code,
    (error: unknown) => {
      log(`alerts bench failed: ${error instanceof Error ? error.stack : String(error)}`);
      return 1;
    },
  )
  .then(async (code) => {
    worker?.kill('SIGTERM');
    await stopAll();
    await database?.drop();
    process.exit(code);
  });
