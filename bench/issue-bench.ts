import { Client } from 'pg';
import { runLoad, type LoadResult } from './lib/load';
import { withCpu, type CpuPerOp, type Pids } from './lib/proc-cpu';
import { rawInserts, sqlIssueLean, sqlIssueTransactions, type SqlRunResult } from './lib/sql-baselines';
import { median } from './lib/stats';

export interface IssueSettings {
  clients: number;
  rounds: number;
  /** Issues per api run, and rows per raw run; each run is also bounded by maxSeconds. */
  apiAmount: number;
  rawAmount: number;
  maxSeconds: number;
  /** Bound of each SQL-only breakdown run. */
  breakdownMaxSeconds: number;
  /** Warm-up of the SQL baselines, which have no JIT to warm. */
  warmupAmount: number;
  /**
   * Issues before the first measured round. With 300, the first round ran at 1.26–1.70 ms of api CPU per
   * issue where the second ran at 0.75–1.11 ms (docs/benchmarks.md, session 33); with 3000 issues of warm-up
   * and rounds of 3000 (under 2 s each), the api's, the client's and Postgres's CPU per issue were still
   * falling from one round to the next (session 36). A round's worth of 10000 is the default.
   */
  apiWarmupAmount: number;
}

export interface IssueRun {
  api: LoadResult & { cpu: CpuPerOp };
  /** Audit events still waiting for the sealer when the last response had arrived. */
  unsealedAtEnd: number;
  raw: SqlRunResult;
  /** The issue transaction's statements straight through pg (breakdown only). */
  sqlTx: SqlRunResult;
  /** The same writes in 3 round trips (recommendation only). */
  sqlLean: SqlRunResult;
}

export interface IssueOutcome {
  runs: IssueRun[];
  median: {
    apiRps: number;
    apiP99Ms: number;
    rawRps: number;
    rawP99Ms: number;
    sqlTxRps: number;
    sqlTxP99Ms: number;
    sqlLeanRps: number;
    /** CPU µs per op: the api process, and the Postgres backends serving it. */
    apiServerCpuUs: number;
    apiPostgresCpuUs: number;
    rawPostgresCpuUs: number;
    sqlTxPostgresCpuUs: number;
  };
  /** api issues/s ÷ raw INSERTs/s, median of the rounds (target ≥ 0.40). */
  ratio: number;
  /** SQL-only issue transactions/s ÷ raw INSERTs/s: the ceiling the transaction's shape allows. */
  sqlTxVsRaw: number;
  /** api issues/s ÷ SQL-only issue transactions/s: what the Node side keeps of that ceiling. */
  apiVsSqlTx: number;
  /** 3-round-trip SQL issue transactions/s ÷ raw INSERTs/s: the ceiling after the recommended change. */
  sqlLeanVsRaw: number;
  /** Every 201 of this phase, warm-up included. */
  issued: number;
}

export async function runIssueBench(
  target: {
    apiUrl: string;
    /** The api process and its Postgres backends, for CPU per issue. */
    apiPids: () => Promise<Pids>;
    issueKey: string;
    ownerUrl: string;
    appUrl: string;
    tenantId: string;
    createdBy: string;
    /** A second tenant for the SQL-only transactions, so that the api tenant's chain holds only api events. */
    sqlTenantId: string;
    sqlCreatedBy: string;
  },
  settings: IssueSettings,
  log: (line: string) => void,
): Promise<IssueOutcome> {
  const issue = (amount: number) =>
    runLoad({
      url: `${target.apiUrl}/v1/tokens`,
      method: 'POST',
      headers: { authorization: `Bearer ${target.issueKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench token', scopes: ['orders:read'], expiresInSeconds: 3600 }),
      connections: settings.clients,
      pipelining: 1,
      amount,
      maxSeconds: settings.maxSeconds,
    });
  const raw = (amount: number) =>
    rawInserts({
      ownerUrl: target.ownerUrl,
      tenantId: target.tenantId,
      createdBy: target.createdBy,
      clients: settings.clients,
      amount,
      maxSeconds: settings.maxSeconds,
    });

  const breakdown = (amount: number) => ({
    appUrl: target.appUrl,
    tenantId: target.sqlTenantId,
    createdBy: target.sqlCreatedBy,
    clients: settings.clients,
    amount,
    maxSeconds: settings.breakdownMaxSeconds,
  });
  const sqlTx = (amount: number) => sqlIssueTransactions(breakdown(amount));
  const sqlLean = (amount: number) => sqlIssueLean(breakdown(amount));

  log(`  warm-up: ${settings.apiWarmupAmount} issues, ${settings.warmupAmount} of each SQL baseline`);
  const warm = await issue(settings.apiWarmupAmount);
  assertIssued(warm);
  let issued = warm.ok;
  await raw(settings.warmupAmount);
  await sqlTx(settings.warmupAmount);
  await sqlLean(settings.warmupAmount);

  const runs: IssueRun[] = [];
  for (let round = 1; round <= settings.rounds; round++) {
    const measured = await withCpu(target.apiPids, () => issue(settings.apiAmount), (r) => r.ok);
    const api = { ...measured.result, cpu: measured.cpu };
    assertIssued(api);
    issued += api.ok;
    const unsealedAtEnd = await unsealedEvents(target.ownerUrl, target.tenantId);
    const rawRun = await raw(settings.rawAmount);
    const sqlRun = await sqlTx(settings.apiAmount);
    const leanRun = await sqlLean(settings.apiAmount);
    runs.push({ api, unsealedAtEnd, raw: rawRun, sqlTx: sqlRun, sqlLean: leanRun });
    const cpu = (c: CpuPerOp) => `cpu/op: server ${c.serverUs} µs, postgres ${c.postgresUs} µs, client ${c.clientUs} µs`;
    log(`  round ${round} api issue      ${String(Math.round(api.rps)).padStart(6)}/s, p99 ${api.latencyMs.p99} ms, ${cpu(api.cpu)}; ${unsealedAtEnd} events unsealed at end`);
    log(`  round ${round} raw INSERT     ${String(Math.round(rawRun.rps)).padStart(6)}/s, p99 ${rawRun.latencyMs.p99.toFixed(1)} ms, ${cpu(rawRun.cpu)}`);
    log(`  round ${round} sql-only issue ${String(Math.round(sqlRun.rps)).padStart(6)}/s, p99 ${sqlRun.latencyMs.p99.toFixed(1)} ms, ${cpu(sqlRun.cpu)} (6 round trips)`);
    log(`  round ${round} sql-only lean  ${String(Math.round(leanRun.rps)).padStart(6)}/s, p99 ${leanRun.latencyMs.p99.toFixed(1)} ms, ${cpu(leanRun.cpu)} (3 round trips)`);
  }
  return {
    runs,
    median: {
      apiRps: median(runs.map((r) => r.api.rps)),
      apiP99Ms: median(runs.map((r) => r.api.latencyMs.p99)),
      rawRps: median(runs.map((r) => r.raw.rps)),
      rawP99Ms: median(runs.map((r) => r.raw.latencyMs.p99)),
      sqlTxRps: median(runs.map((r) => r.sqlTx.rps)),
      sqlTxP99Ms: median(runs.map((r) => r.sqlTx.latencyMs.p99)),
      sqlLeanRps: median(runs.map((r) => r.sqlLean.rps)),
      apiServerCpuUs: median(runs.map((r) => r.api.cpu.serverUs)),
      apiPostgresCpuUs: median(runs.map((r) => r.api.cpu.postgresUs)),
      rawPostgresCpuUs: median(runs.map((r) => r.raw.cpu.postgresUs)),
      sqlTxPostgresCpuUs: median(runs.map((r) => r.sqlTx.cpu.postgresUs)),
    },
    ratio: median(runs.map((r) => r.api.rps / r.raw.rps)),
    sqlTxVsRaw: median(runs.map((r) => r.sqlTx.rps / r.raw.rps)),
    apiVsSqlTx: median(runs.map((r) => r.api.rps / r.sqlTx.rps)),
    sqlLeanVsRaw: median(runs.map((r) => r.sqlLean.rps / r.raw.rps)),
    issued,
  };
}

function assertIssued(result: LoadResult): void {
  if (result.ok === 0 || result.non2xx > 0 || result.errors > 0) {
    throw new Error(`issue: ${result.ok} created, ${result.non2xx} non-2xx (${JSON.stringify(result.statusCodes)}), ${result.errors} errors`);
  }
}

/** The api tenant's events not yet in the hash chain (the SQL-only baselines' tenant is never sealed). */
export async function unsealedEvents(ownerUrl: string, tenantId: string): Promise<number> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM audit_events WHERE tenant_id = $1 AND seq IS NULL`,
      [tenantId],
    );
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}
