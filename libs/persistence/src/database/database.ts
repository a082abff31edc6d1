import type { DataSource, EntityManager } from 'typeorm';

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
  ) {}

  /** Rows of a parameterised query. */
  async rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const result = await this.manager.queryRunner!.query(sql, params, true);
    return result.records as T[];
  }

  async one<T>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.rows<T>(sql, params))[0];
  }

  /** Number of rows an INSERT/UPDATE/DELETE touched. */
  async affected(sql: string, params: unknown[] = []): Promise<number> {
    const result = await this.manager.queryRunner!.query(sql, params, true);
    return result.affected ?? 0;
  }

  /** After this transaction commits (not if it rolls back). */
  afterCommit(task: () => void): void {
    this.commitTasks.push(task);
  }

  /** @internal */ readonly commitTasks: Array<() => void> = [];
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
    let tx: Tx | undefined;
    const result = await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true)`, [
        APP_ROLE,
        tenantId ?? '',
      ]);
      tx = new Tx(manager, tenantId);
      return work(tx);
    });
    for (const task of tx?.commitTasks ?? []) task();
    return result;
  }
}

/** Postgres error codes the application turns into domain errors. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';

export function pgErrorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  const driverError = (error as { driverError?: unknown } | null)?.driverError;
  return driverError ? pgErrorCode(driverError) : undefined;
}

export function pgConstraint(error: unknown): string | undefined {
  const driverError = (error as { driverError?: { constraint?: string } } | null)?.driverError;
  return driverError?.constraint ?? (error as { constraint?: string } | null)?.constraint ?? undefined;
}
