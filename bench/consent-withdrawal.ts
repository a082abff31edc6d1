import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient, createConsent, issueToken, serviceKey, signupTenant, withPgClient, type IssuedBody } from '@custos/testing';
import { benchSecrets, startBenchApi } from './lib/bench-api';
import { createBenchDatabase, type BenchDatabase } from './lib/bench-database';
import { RESULTS_DIR } from './lib/paths';
import { stopAll } from './lib/processes';
import { median, round } from './lib/stats';

/**
 * `npm run bench:consent`: withdraw a consent bound to 10,000 tokens (BENCH_BOUND_TOKENS) through the
 * api, against a raw `UPDATE` revoking as many equal rows bound to another consent, in the same run,
 * BENCH_ROUNDS times alternating which goes first. Reported per round: the api's answer time (all
 * tokens revoked and every audit event written, in one transaction), the time until the events are
 * also sealed into the hash chain, the raw UPDATE's time, and their ratio (target ≤ 3×). Then every
 * sampled bound token, VALID and cached on both api instances just before, must answer
 * CONSENT_WITHDRAWN on both as soon as the withdrawal has returned.
 */
const BOUND = Number(process.env.BENCH_BOUND_TOKENS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SAMPLE = Number(process.env.BENCH_VERIFY_SAMPLE ?? 50);
const log = (line: string): void => void process.stdout.write(`${line}\n`);
let database: BenchDatabase | undefined;

/** `count` tokens bound to `consentId`, as wide as issued ones (hashes that no secret matches). */
async function seedBound(ownerUrl: string, tenantId: string, consentId: string, count: number): Promise<void> {
  await withPgClient(ownerUrl, async (db) => {
    await db.query(
      `INSERT INTO tokens (tenant_id, id, name, environment, created_via, lookup_id, secret_hash, pepper_id, last4, scopes,
                           status, expires_at, root_id, consent_id, data_categories)
       SELECT $1, id, 'bound ' || i, 'live', 'api', substr(md5(id), 1, 12), md5('s' || id), 'bench1', 'abcd', '{orders:read}',
              'active', now() + interval '30 days', id, $2, '{personal}'
         FROM generate_series(1, $3) i, LATERAL (SELECT 'tok_' || $2 || '_' || i AS id) t`,
      [tenantId, consentId, count],
    );
    await db.query('ANALYZE tokens');
  });
}

async function rawRevoke(ownerUrl: string, consentId: string): Promise<number> {
  return withPgClient(ownerUrl, async (db) => {
    await db.query('CHECKPOINT');
    const started = performance.now();
    const res = await db.query(
      `UPDATE tokens SET status = 'revoked', revoked_at = now(), revoked_by = 'usr_bench', revoked_reason = 'consent_withdrawn',
              updated_at = now()
        WHERE consent_id = $1 AND status IN ('active', 'rotating', 'suspended')`,
      [consentId],
    );
    const ms = performance.now() - started;
    if (res.rowCount !== BOUND) throw new Error(`raw UPDATE revoked ${res.rowCount} rows, not ${BOUND}`);
    return ms;
  });
}

async function unsealed(ownerUrl: string, tenantId: string): Promise<number> {
  return withPgClient(ownerUrl, async (db) => {
    const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM audit_events WHERE tenant_id = $1 AND seq IS NULL`, [tenantId]);
    return Number(rows[0]!.n);
  });
}

async function main(): Promise<number> {
  const db = await createBenchDatabase();
  database = db;
  const secrets = benchSecrets();
  const [a, b] = await Promise.all([startBenchApi(db, 'api-a', secrets), startBenchApi(db, 'api-b', secrets)]);
  const tenant = await signupTenant(new ApiClient(a.url), 'Consent Bench');
  const key = await serviceKey(tenant, ['custos:tokens:issue', 'custos:tokens:verify', 'custos:consents:write']);
  const onA = new ApiClient(a.url, key.client.auth);
  const onB = new ApiClient(b.url, key.client.auth);
  const codes = async (tokens: readonly IssuedBody[], client: ApiClient) =>
    Promise.all(tokens.map(async (t) => (await client.post<{ code: string }>('/v1/verify', { token: t.secret })).body.code));

  const rounds: Array<{ apiMs: number; sealedMs: number; rawMs: number; ratio: number; stale: number }> = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const withdrawn = await createConsent(onA);
    const raw = await createConsent(onA);
    // The sampled tokens are issued through the api (their secrets verify); the rest are seeded alike.
    const sample: IssuedBody[] = [];
    for (let i = 0; i < SAMPLE; i++) sample.push(await issueToken(onA, { consentId: withdrawn.id, dataCategories: ['personal'] }));
    await seedBound(db.ownerUrl, tenant.tenantId, withdrawn.id, BOUND - SAMPLE);
    await seedBound(db.ownerUrl, tenant.tenantId, raw.id, BOUND);
    for (const client of [onA, onB]) {
      if ((await codes(sample, client)).some((c) => c !== 'VALID')) throw new Error('a sampled token is not VALID before the withdrawal');
    }

    const runRaw = () => rawRevoke(db.ownerUrl, raw.id);
    const runApi = async () => {
      await withPgClient(db.ownerUrl, (c) => c.query('CHECKPOINT'));
      const started = performance.now();
      const res = await onA.post<{ revokedTokens: number }>(`/v1/consents/${withdrawn.id}/withdraw`, { reason: 'bench' });
      const apiMs = performance.now() - started;
      if (res.status !== 200 || res.body.revokedTokens !== BOUND) throw new Error(`withdraw: ${res.status} ${JSON.stringify(res.body)}`);
      // Sealing is watched while the sampled tokens are verified, so neither waits for the other.
      const sealed = (async () => {
        while ((await unsealed(db.ownerUrl, tenant.tenantId)) > 0) await new Promise((r) => setTimeout(r, 10));
        return performance.now() - started;
      })();
      const after = await Promise.all([codes(sample, onA), codes(sample, onB)]);
      const stale = after.flat().filter((c) => c !== 'CONSENT_WITHDRAWN').length;
      return { apiMs, sealedMs: await sealed, stale };
    };
    let rawMs: number;
    let api: Awaited<ReturnType<typeof runApi>>;
    if (round % 2 === 1) {
      rawMs = await runRaw();
      api = await runApi();
    } else {
      api = await runApi();
      rawMs = await runRaw();
    }
    const figures = { ...api, rawMs, ratio: api.apiMs / rawMs };
    rounds.push(figures);
    log(`round ${round}: withdraw ${round2(api.apiMs)} ms (sealed after ${round2(api.sealedMs)} ms), raw UPDATE ${round2(rawMs)} ms, ` +
      `ratio ${round2(figures.ratio)}; sampled verifies not CONSENT_WITHDRAWN right after: ${api.stale}`);
  }
  const summary = {
    boundTokens: BOUND,
    rounds,
    medianApiMs: round2(median(rounds.map((r) => r.apiMs))),
    medianSealedMs: round2(median(rounds.map((r) => r.sealedMs))),
    medianRawMs: round2(median(rounds.map((r) => r.rawMs))),
    medianRatio: round2(median(rounds.map((r) => r.ratio))),
    staleAnswers: rounds.reduce((n, r) => n + r.stale, 0),
  };
  log(`median: withdraw ${summary.medianApiMs} ms (sealed ${summary.medianSealedMs} ms) vs raw UPDATE ${summary.medianRawMs} ms = ` +
    `${summary.medianRatio}x (target ≤ 3x: ${summary.medianRatio <= 3 ? 'met' : 'NOT met'})`);
  log(`verifies of withdrawn tokens answered otherwise right after the withdrawal returned: ${summary.staleAnswers} (target 0, ` +
    `${SAMPLE * 2 * ROUNDS} asked on two instances)`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, 'consent-withdrawal.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary.staleAnswers === 0 ? 0 : 1;
}

const round2 = (n: number): number => round(n, 1);

void main()
  .then(
    (code) => code,
    (error: unknown) => {
      log(`consent bench failed: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    },
  )
  .then(async (code) => {
    await stopAll();
    await database?.drop();
    process.exit(code);
  });
