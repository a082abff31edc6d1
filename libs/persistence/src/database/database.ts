import type { PoolClient } from 'pg';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** The role every application transaction runs as, whichever login the pool uses (see migrations). */
export const APP_ROLE = 'custos_app';

/**
 * A transaction of one tenant, or of the system (no tenant: only the SECURITY DEFINER resolvers and
 * tenant-less tables are reachable). Row-level security makes every query tenant-scoped.
 */
export class Tx {
  constructor(
    readonly manager: EntityManager,
    readonly tenantId: string | null,
    /** The transaction's own connection: hand-written SQL goes straight to pg, past TypeORM's query path. */
    private readonly client: PoolClient,
  ) {}

  /** Rows of a parameterised query. */
  async rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.client.query(sql, params)).rows as T[];
  }

  async one<T>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.rows<T>(sql, params))[0];
  }

  /** Number of rows an INSERT/UPDATE/DELETE touched. */
  async affected(sql: string, params: unknown[] = []): Promise<number> {
    return (await this.client.query(sql, params)).rowCount ?? 0;
  }

  /**
   * After this transaction commits (not if it rolls back). The caller's answer waits for a task that
   * returns a promise (e.g. telling other instances to drop a revoked token before saying it is done).
   */
  afterCommit(task: () => void | Promise<void>): void {
    this.commitTasks.push(task);
  }

  /** @internal */ readonly commitTasks: Array<() => void | Promise<void>> = [];
}

export class Database {
  constructor(readonly dataSource: DataSource) {}

  tenant<T>(tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.run(tenantId, work);
  }

  system<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.run(null, work);
  }

  private async run<T>(tenantId: string | null, work: (tx: Tx) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    let result: T;
    let tx: Tx;
    try {
      // BEGIN and the transaction's role and tenant in one round trip (simple protocol, no parameters),
      // so every transaction costs one round trip less than BEGIN + SELECT set_config(...).
      await client.query(`BEGIN; SELECT set_config('role', '${APP_ROLE}', true), set_config('app.tenant_id', '${tenantLiteral(tenantId)}', true)`);
      inTransaction(runner, true);
      tx = new Tx(runner.manager, tenantId, client);
      result = await work(tx);
      await client.query('COMMIT');
      inTransaction(runner, false);
    } catch (error) {
      if (runner.isTransactionActive) {
        await client.query('ROLLBACK').catch(() => undefined);
        inTransaction(runner, false);
      }
      throw error;
    } finally {
      await runner.release();
    }
    await Promise.all(tx.commitTasks.map((task) => task()));
    return result;
  }
}

/** TypeORM must see our transaction as its own, so its entity manager does not open another. */
function inTransaction(runner: QueryRunner, active: boolean): void {
  Object.assign(runner, { isTransactionActive: active, transactionDepth: active ? 1 : 0 });
}

const TENANT_ID = /^[A-Za-z0-9_]{1,64}$/;

/** Whether a value can name a tenant transaction at all (its shape, not whether the tenant exists). */
export function isTenantIdShape(value: unknown): value is string {
  return typeof value === 'string' && TENANT_ID.test(value);
}

/** Tenant ids are our own `ten_…` ids; anything else never reaches the SQL text. */
function tenantLiteral(tenantId: string | null): string {
  if (tenantId === null) return '';
  if (!isTenantIdShape(tenantId)) throw new Error('invalid tenant id');
  return tenantId;
}

/** Postgres error codes the application turns into domain errors. */
export const PG_UNIQUE_VIOLATION = '23505';

export function pgErrorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  const driverError = (error as { driverError?: unknown } | null)?.driverError;
  return driverError ? pgErrorCode(driverError) : undefined;
}
