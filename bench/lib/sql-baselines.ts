import { randomBytes } from 'node:crypto';
import { Client, escapeLiteral } from 'pg';
import { withPgClient } from '@custos/testing';
import { withCpu, type CpuPerOp } from './proc-cpu';
import { percentile } from './stats';

export interface SqlRunResult {
  ops: number;
  seconds: number;
  rps: number;
  latencyMs: { p50: number; p99: number; max: number };
  cpu: CpuPerOp;
}

/** Same columns, in the same order, as the api's token INSERT (libs/persistence/src/tokens/token-rows.ts). */
const COLUMNS = [
  'tenant_id', 'id', 'kind', 'name', 'environment', 'owner_service_id', 'created_by', 'created_via', 'lookup_id',
  'secret_hash', 'pepper_id', 'last4', 'scopes', 'status', 'not_before', 'expires_at', 'rotation_interval_seconds',
  'grace_period_seconds', 'next_rotation_at', 'rotated_from_id', 'root_id', 'allowed_cidrs', 'max_uses',
  'remaining_uses', 'metadata', 'created_at', 'updated_at',
] as const;
const VALUES = `(${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;

/** The api's audit INSERT (libs/persistence/src/audit/audit-event.repository.ts), one event. */
const AUDIT_SQL = `INSERT INTO audit_events (tenant_id, occurred_at, action, actor_type, actor_id, target_type, target_id, request_id, data)
  SELECT $1, $2, e.action, e.actor_type, e.actor_id, e.target_type, e.target_id, $3, e.data
    FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[])
      AS e(action, actor_type, actor_id, target_type, target_id, data)`;

/** A scratch table shaped like tokens: same columns, defaults, checks and indexes (not the foreign keys). */
export async function createScratchTable(ownerUrl: string): Promise<void> {
  await withPgClient(ownerUrl, (client) => client.query(`CREATE TABLE IF NOT EXISTS bench_tokens (LIKE tokens INCLUDING ALL)`));
}

function tokenRow(tenantId: string, createdBy: string): unknown[] {
  const now = new Date();
  const id = `tok_${randomBytes(16).toString('base64url')}`;
  return [
    tenantId, id, 'api_key', 'bench token', 'live', null, createdBy, 'api', randomBytes(9).toString('base64url'),
    randomBytes(32).toString('hex'), 'p1', 'abcd', ['orders:read'], 'active', null,
    new Date(now.getTime() + 3600_000), null, null, null, null, id, [], null, null, '{}', now, now,
  ];
}

/**
 * Baseline of the issue bench: one single-row INSERT per statement into the scratch table
 * (autocommit, unnamed parameterised query, as the api's driver sends it).
 */
export function rawInserts(options: RunOptions & { ownerUrl: string; tenantId: string; createdBy: string }): Promise<SqlRunResult> {
  const sql = `INSERT INTO bench_tokens ${VALUES}`;
  return runClients(options.ownerUrl, options, async (client) => {
    await client.query(sql, tokenRow(options.tenantId, options.createdBy));
  });
}

/**
 * For the breakdown, not a target: the statements of the api's issue transaction, sent straight
 * through pg as custos_app on the real tables (row-level security on). What the api spends beyond
 * this is Node-side (Nest, TypeORM, validation, serialisation) plus the audit sealer.
 */
export function sqlIssueTransactions(options: RunOptions & { appUrl: string; tenantId: string; createdBy: string }): Promise<SqlRunResult> {
  const tokenSql = `INSERT INTO tokens ${VALUES}`;
  return runClients(options.appUrl, options, async (client) => {
    const row = tokenRow(options.tenantId, options.createdBy);
    await client.query('START TRANSACTION');
    try {
      await client.query(`SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true)`, ['custos_app', options.tenantId]);
      await client.query(`SELECT * FROM tenant_policies WHERE tenant_id = $1 LIMIT 1`, [options.tenantId]);
      await client.query(tokenSql, row);
      await client.query(AUDIT_SQL, [
        options.tenantId, new Date().toISOString(), 'req-bench', ['token.issued'], ['service_key'], [options.createdBy],
        ['token'], [row[1]], [JSON.stringify({ name: 'bench token', lookupId: row[8], scopes: ['orders:read'], via: 'api' })],
      ]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  });
}

/**
 * For the recommendation, not a target: the same writes in 3 round trips instead of 6, i.e. BEGIN and
 * set_config in one simple-protocol query, the policy read served from a cache, and the token and
 * audit INSERTs as one statement (a data-modifying CTE), then COMMIT.
 */
export function sqlIssueLean(options: RunOptions & { appUrl: string; tenantId: string; createdBy: string }): Promise<SqlRunResult> {
  const begin = `START TRANSACTION; SELECT set_config('role', 'custos_app', true), set_config('app.tenant_id', ${escapeLiteral(options.tenantId)}, true)`;
  const n = COLUMNS.length;
  const insertBoth = `WITH t AS (INSERT INTO tokens ${VALUES} RETURNING tenant_id, id)
    INSERT INTO audit_events (tenant_id, occurred_at, action, actor_type, actor_id, target_type, target_id, request_id, data)
    SELECT t.tenant_id, $${n + 1}, 'token.issued', 'service_key', $${n + 2}, 'token', t.id, $${n + 3}, $${n + 4}::jsonb FROM t`;
  return runClients(options.appUrl, options, async (client) => {
    const row = tokenRow(options.tenantId, options.createdBy);
    await client.query(begin);
    try {
      await client.query(insertBoth, [
        ...row, new Date().toISOString(), options.createdBy, 'req-bench',
        JSON.stringify({ name: 'bench token', lookupId: row[8], scopes: ['orders:read'], via: 'api' }),
      ]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  });
}

interface RunOptions {
  clients: number;
  amount: number;
  maxSeconds: number;
}

/** `clients` connections running `op` back to back until `amount` ops or `maxSeconds` have gone by. */
async function runClients(url: string, options: RunOptions, op: (client: Client) => Promise<void>): Promise<SqlRunResult> {
  const clients = await Promise.all(
    Array.from({ length: options.clients }, async () => {
      const client = new Client({ connectionString: url, application_name: 'custos-bench' });
      await client.connect();
      return client;
    }),
  );
  const latencies: number[] = [];
  let started = 0;
  try {
    const backends = await Promise.all(
      clients.map(async (c) => (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid),
    );
    const begin = performance.now();
    const deadline = begin + options.maxSeconds * 1000;
    const { cpu } = await withCpu(
      async () => ({ server: [], postgres: backends }),
      () =>
        Promise.all(
          clients.map(async (client) => {
            while (started < options.amount && performance.now() < deadline) {
              started++;
              const t0 = performance.now();
              await op(client);
              latencies.push(performance.now() - t0);
            }
          }),
        ),
      () => latencies.length,
    );
    const seconds = (performance.now() - begin) / 1000;
    return {
      ops: latencies.length,
      seconds,
      rps: latencies.length / seconds,
      latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: percentile(latencies, 100) },
      cpu,
    };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

