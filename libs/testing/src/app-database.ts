import type { Database } from '@custos/persistence';
import { persistence } from './heavy-libraries';

/**
 * Runs `work` in this process on the test run's database as the application connects to it (its role,
 * row-level security on): for api tests that must put state in place the api would make more slowly.
 */
export async function withAppDatabase<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const { Database, createDataSource } = await persistence();
  const db = new Database(createDataSource({ url: process.env.TEST_DATABASE_URL!, poolSize: 1 }));
  await db.dataSource.initialize();
  try {
    return await work(db);
  } finally {
    await db.dataSource.destroy();
  }
}
