import { ApiClient, issueToken, serviceKey, signupTenant } from '@custos/testing';
import { createBenchDatabase, type BenchDatabase } from './lib/bench-database';
import { benchSecrets, startBenchApi } from './lib/bench-api';
import { stopAll } from './lib/processes';
import { percentile, round } from './lib/stats';

/**
 * `npm run bench:revocation`: two api instances on one database and Redis. For each of N tokens,
 * instance B verifies it (VALID, now cached on B), instance A revokes it, and B is asked again until it
 * answers REVOKED. Reported: the time from A's revoke answer to B's first REVOKED answer (target p99
 * ≤ 50 ms), and how many of B's answers after the revoke returned were still VALID (target 0).
 */
const COUNT = Number(process.env.BENCH_REVOCATIONS ?? 200);
const POLL_LIMIT_MS = 35_000;
const log = (line: string): void => void process.stdout.write(`${line}\n`);
let database: BenchDatabase | undefined;

async function main(): Promise<number> {
  const db = await createBenchDatabase();
  database = db;
  const secrets = benchSecrets();
  const [a, b] = await Promise.all([startBenchApi(db, 'api-a', secrets), startBenchApi(db, 'api-b', secrets)]);
  const tenant = await signupTenant(new ApiClient(a.url), 'Revocation Bench');
  const key = await serviceKey(tenant, ['custos:tokens:issue', 'custos:tokens:revoke', 'custos:tokens:verify']);
  const onA = new ApiClient(a.url, key.client.auth);
  const onB = new ApiClient(b.url, key.client.auth);
  const verifyOnB = async (token: string) => (await onB.post<{ code: string }>('/v1/verify', { token })).body.code;

  const propagationMs: number[] = [];
  let staleAnswers = 0;
  for (let i = 0; i < COUNT; i++) {
    const { token, secret } = await issueToken(onA, { name: `revocation ${i}` });
    if ((await verifyOnB(secret)) !== 'VALID') throw new Error('B does not see the new token as VALID');
    const revoked = await onA.post(`/v1/tokens/${token.id}/revoke`, { reason: 'revocation bench' });
    if (revoked.status !== 200) throw new Error(`revoke failed: ${revoked.status}`);
    const returned = performance.now();
    for (;;) {
      const code = await verifyOnB(secret);
      if (code === 'REVOKED') break;
      staleAnswers++;
      if (performance.now() - returned > POLL_LIMIT_MS) throw new Error('B never answered REVOKED');
    }
    propagationMs.push(performance.now() - returned);
  }
  const p = (q: number) => round(percentile(propagationMs, q), 2);
  log(`revocations: ${COUNT}; revoke on A → REVOKED on B: p50 ${p(50)} ms, p99 ${p(99)} ms, max ${round(Math.max(...propagationMs), 2)} ms`);
  log(`answers from B still VALID after A's revoke returned: ${staleAnswers} (target 0)`);
  log(`target p99 ≤ 50 ms: ${p(99) <= 50 ? 'met' : 'NOT met'}`);
  return 0;
}

void main()
  .then(
    (code) => code,
    (error: unknown) => {
      log(`revocation bench failed: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    },
  )
  .then(async (code) => {
    await stopAll();
    await database?.drop();
    process.exit(code);
  });
