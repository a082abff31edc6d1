/**
 * What a transaction costs to open, as the application role in one tenant: Database's way (BEGIN and
 * the role and tenant settings in one round trip; TypeORM not told of the transaction) against
 * TypeORM's own startTransaction followed by the settings (what it takes for TypeORM's entity manager
 * to know of the transaction without writing its QueryRunner's internal fields). Both run the same
 * trivial work, alternating rounds in one process, so only their ratio counts (docs/benchmarks.md).
 *
 *   npm run bench:transaction                 4 rounds of 3,000 sequential transactions each
 */
import { Database, Tx, createDataSource, type Committed } from '@custos/persistence';
import type { PoolClient } from 'pg';
import { createBenchDatabase } from './lib/bench-database';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const PER_ROUND = Number(process.env.BENCH_TRANSACTIONS ?? 3000);
const TENANT = 'ten_bench_transactions';

/** The alternative: TypeORM opens the transaction (a round trip), then the settings (another). */
class TypeOrmStarted extends Database {
  protected override async transaction<T>(tenantId: string | null, work: (tx: Tx) => Promise<T>): Promise<Committed<T>> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    try {
      await runner.startTransaction();
      await client.query(`SELECT set_config('role', 'custos_app', true), set_config('app.tenant_id', '${tenantId ?? ''}', true)`);
      const tx = new Tx(runner.manager, tenantId, client);
      const result = await work(tx);
      await runner.commitTransaction();
      return { result, commitTasks: tx.commitTasks };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }
}

async function microsPerTransaction(db: Database, count: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await db.tenant(TENANT, (tx) => tx.one('SELECT 1'));
  return Number(process.hrtime.bigint() - started) / count / 1000;
}

async function main(): Promise<void> {
  const database = await createBenchDatabase();
  const ours = new Database(createDataSource({ url: database.appUrl, poolSize: 2 }));
  const typeorm = new TypeOrmStarted(createDataSource({ url: database.appUrl, poolSize: 2 }));
  try {
    await ours.dataSource.initialize();
    await typeorm.dataSource.initialize();
    await microsPerTransaction(ours, 500);
    await microsPerTransaction(typeorm, 500);
    const ratios: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const [a, b] = [await microsPerTransaction(ours, PER_ROUND), await microsPerTransaction(typeorm, PER_ROUND)];
      ratios.push(b / a);
      process.stdout.write(`round ${round}: Database ${a.toFixed(0)} µs per transaction, TypeORM's startTransaction ${b.toFixed(0)} µs (${(b / a).toFixed(2)}×)\n`);
    }
    ratios.sort((x, y) => x - y);
    process.stdout.write(`median: TypeORM's startTransaction / Database = ${ratios[Math.floor(ratios.length / 2)]!.toFixed(2)}×\n`);
  } finally {
    await ours.dataSource.destroy();
    await typeorm.dataSource.destroy();
    await database.drop();
  }
}

void main();
