import { hash } from 'node:crypto';
import type { PoolClient, QueryResult } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { GroupCommit } from './group-commit';

/** The role every application transaction runs as, whichever login the pool uses (see migrations). */
export const APP_ROLE = 'custos_app';

/**
 * Writes that the works of one transaction hand over to be done together, once, just before COMMIT:
 * in a batch (`db.tenant(id, work, { batch: true })`) the items of every work in it go in one call,
 * e.g. one INSERT of all the batch's tokens with their audit events.
 */
export interface BatchedWrite<T> {
  write(tx: Tx, items: T[]): Promise<void>;
}

/**
 * A transaction of one tenant, or of the system (no tenant: only the SECURITY DEFINER resolvers and
 * tenant-less tables are reachable). Row-level security makes every query tenant-scoped.
 */
export class Tx {
  constructor(
    /** For TypeORM's reads and plain writes on this transaction's connection (it does not know of the transaction: see Database.transaction). */
    readonly manager: EntityManager,
    readonly tenantId: string | null,
    /** The transaction's own connection: hand-written SQL goes straight to pg, past TypeORM's query path. */
    private readonly client: PoolClient,
    /** once()'s reads, shared by the works of one transaction. */
    private readonly reads = new Map<string, Promise<unknown>>(),
    /** The rows of the opening reads (TenantWorkOptions.opening) not yet taken. */
    private readonly openedRows = new Map<string, unknown[]>(),
  ) {}

  /**
   * The rows of the opening read `key` (TenantWorkOptions.opening), read with BEGIN; undefined when
   * the transaction did not open with it, or when they were taken already: whoever takes them first
   * gets them, so that nothing acts twice on a row read before the transaction changed it.
   */
  opened<T>(key: string): T[] | undefined {
    const rows = this.openedRows.get(key) as T[] | undefined;
    this.openedRows.delete(key);
    return rows;
  }

  /**
   * A read made once per key in this transaction, whichever of its works asks (the works of a batch
   * share the transaction, and so see the same rows): e.g. what the issues of one service key share.
   */
  once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let value = this.reads.get(key) as Promise<T> | undefined;
    if (!value) this.reads.set(key, (value = read()));
    return value;
  }

  /**
   * Rows of a parameterised query. `prepare` for a text that recurs as it is (never built from the
   * values or their number): Postgres parses and plans it once per connection, under a name derived
   * from the text, instead of on every call.
   */
  async rows<T>(sql: string, params: unknown[] = [], options: { prepare?: boolean } = {}): Promise<T[]> {
    const name = options.prepare ? statementName(sql) : undefined;
    const query = name ? { name, text: sql, values: params } : { text: sql, values: params };
    return (await this.client.query(query)).rows as T[];
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

  /**
   * Just before COMMIT, `writer` writes this item together with the items every other work of the
   * transaction gave it (see BatchedWrite). If the work that gave it fails, the item is dropped.
   */
  beforeCommit<T>(writer: BatchedWrite<T>, item: T): void {
    const items = this.pendingWrites.get(writer as BatchedWrite<unknown>);
    if (items) items.push(item);
    else this.pendingWrites.set(writer as BatchedWrite<unknown>, [item]);
  }

  /**
   * @internal For one work of a batch: the same transaction and connection, with pending writes and
   * commit tasks of its own until the work succeeds (adopt), dropped if it fails.
   */
  forWork(): Tx {
    return new Tx(this.manager, this.tenantId, this.client, this.reads, this.openedRows);
  }

  /** @internal Takes over the pending writes and commit tasks of a work of the batch that succeeded. */
  adopt(work: Tx): void {
    for (const [writer, items] of work.pendingWrites) for (const item of items) this.beforeCommit(writer, item);
    this.commitTasks.push(...work.commitTasks);
  }

  /** @internal Just before COMMIT. */
  async writePending(): Promise<void> {
    for (const [writer, items] of this.pendingWrites) await writer.write(this, items);
    this.pendingWrites.clear();
  }

  /** @internal */ readonly commitTasks: Array<() => void | Promise<void>> = [];

  /** @internal This transaction's connection as the tenant Database has just entered it into (see tenantResolvedBy). */
  entered(tenantId: string): Tx {
    return new Tx(this.manager, tenantId, this.client);
  }

  private readonly pendingWrites = new Map<BatchedWrite<unknown>, unknown[]>();
}

/**
 * A read sent with BEGIN, in the same round trip, for a transaction that will need it (e.g. to lock its
 * tenant's chain head): it saves a round trip per transaction. BEGIN goes by the simple protocol, so
 * the read has no parameters: `sql` gets the tenant id as a checked literal, and anything else it
 * inlines must be checked the same way (sqlLiteral). Its rows wait for `Tx.opened(key)`.
 */
export interface OpeningRead {
  key: string;
  sql(tenantLiteral: string): string;
}

export interface TenantWorkOptions {
  /**
   * Group commit: while a batched transaction of the tenant is in flight, the batched works that
   * arrive wait, then run together in the next one (see GroupCommit). Each still gets its own result
   * or its own error. For short works that mostly read and hand their writes to `tx.beforeCommit`.
   */
  batch?: boolean;
  /** Reads sent with BEGIN (see OpeningRead). In a batch, those of the work that starts the transaction. */
  opening?: readonly OpeningRead[];
}

/** What a transaction answers once committed: the work's result, and what to do now that it is. */
export interface Committed<T> {
  result: T;
  commitTasks: ReadonlyArray<() => void | Promise<void>>;
}

/**
 * How a system transaction finds the tenant it is about: a SQL expression over `params` naming the
 * tenant, or null (a SECURITY DEFINER resolver, e.g. `custos_resolve_token($1)`). Its repository
 * writes it; Database evaluates it.
 */
export interface TenantResolver {
  expression: string;
  params: unknown[];
}

export class Database {
  private readonly groups = new GroupCommit((tenantId, work, opening) => this.transaction(tenantId, work, opening));

  constructor(readonly dataSource: DataSource) {}

  tenant<T>(tenantId: string, work: (tx: Tx) => Promise<T>, options: TenantWorkOptions = {}): Promise<T> {
    if (options.batch) {
      // A malformed id fails its own caller here, not the batch it would have joined.
      if (!isTenantIdShape(tenantId)) return Promise.reject(new Error('invalid tenant id'));
      return this.groups.submit(tenantId, work, options.opening);
    }
    return this.run(tenantId, work, options.opening);
  }

  system<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.run(null, work);
  }

  /**
   * One transaction that begins as the system, names its tenant with `resolver` and runs `work` in
   * that tenant (its Tx.tenantId set, row-level security showing only that tenant's rows); null, and
   * `work` not run, when the resolver names none. The tenant is entered by the statement that resolves
   * it, so this costs the same round trips as a tenant transaction plus one.
   */
  tenantResolvedBy<T>(resolver: TenantResolver, work: (tx: Tx) => Promise<T>): Promise<T | null> {
    return this.system(async (system) => {
      const found = await system.one<{ tenant_id: string }>(
        `SELECT set_config('app.tenant_id', coalesce((${resolver.expression}), ''), true) AS tenant_id`,
        resolver.params,
      );
      if (!found?.tenant_id) return null;
      const tx = system.entered(found.tenant_id);
      const result = await work(tx);
      system.adopt(tx);
      return result;
    });
  }

  private async run<T>(tenantId: string | null, work: (tx: Tx) => Promise<T>, opening?: readonly OpeningRead[]): Promise<T> {
    const { result, commitTasks } = await this.transaction(tenantId, work, opening);
    await Promise.all(commitTasks.map((task) => task()));
    return result;
  }

  /**
   * One transaction, as the application role, scoped to the tenant: BEGIN and the settings in one
   * round trip (the simple protocol; the tenant id is checked before it reaches the text), the work,
   * its pending writes just before COMMIT. Every transaction of this database, batched or not, is one
   * call of this method. TypeORM is not told of it (that would take writing its QueryRunner's internal
   * fields, or a round trip more through its startTransaction: 1.35× the cost of a small transaction,
   * `npm run bench:transaction`), so repositories use its entity manager only for statements that need
   * no transaction of TypeORM's own: lint refuses `save`, TypeORM's row locks and its transactions in
   * libs/persistence (lock with `FOR UPDATE` in SQL; write with insert/update).
   */
  protected async transaction<T>(tenantId: string | null, work: (tx: Tx) => Promise<T>, opening: readonly OpeningRead[] = []): Promise<Committed<T>> {
    const tenant = tenantLiteral(tenantId);
    const reads = tenantId === null ? [] : opening;
    const begin = [`BEGIN; SELECT set_config('role', '${APP_ROLE}', true), set_config('app.tenant_id', '${tenant}', true)`, ...reads.map((r) => r.sql(tenant))];
    const runner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as PoolClient;
      try {
        // Several statements answer with one result each (BEGIN's, the settings', then the reads'). One
        // that fails leaves the transaction open and failed: the ROLLBACK below ends it before release.
        const results = (await client.query(begin.join('; '))) as unknown as QueryResult[];
        const openedRows = new Map(reads.map((read, i) => [read.key, results[2 + i]!.rows as unknown[]]));
        const tx = new Tx(runner.manager, tenantId, client, undefined, openedRows);
        const result = await work(tx);
        await tx.writePending();
        await client.query('COMMIT');
        return { result, commitTasks: tx.commitTasks };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } finally {
      await runner.release();
    }
  }
}

/** Names of prepared statements by their text; the texts that may be prepared are few (see Tx.rows). */
const statementNames = new Map<string, string>();

/**
 * More texts than this means a caller prepares text built from its values: each would stay prepared on
 * every connection. The ones after it run unnamed, as any other statement.
 */
const MAX_PREPARED_TEXTS = 256;

function statementName(sql: string): string | undefined {
  let name = statementNames.get(sql);
  if (name === undefined && statementNames.size < MAX_PREPARED_TEXTS) {
    statementNames.set(sql, (name = `custos_${hash('sha256', sql, 'base64url').slice(0, 24)}`));
  }
  return name;
}

const TENANT_ID = /^[A-Za-z0-9_]{1,64}$/;

/** Whether a value can name a tenant transaction at all (its shape, not whether the tenant exists). */
export function isTenantIdShape(value: unknown): value is string {
  return typeof value === 'string' && TENANT_ID.test(value);
}

/**
 * An id inlined in an opening read (OpeningRead), quoted; null for anything not shaped like our own
 * ids, which must then be read with a parameter instead.
 */
export function sqlLiteral(id: string): string | null {
  return isTenantIdShape(id) ? `'${id}'` : null;
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
