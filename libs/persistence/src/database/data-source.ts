import { MIGRATIONS } from '@custos/migrations';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../entities';

export interface DataSourceSettings {
  url: string;
  poolSize?: number;
  applicationName?: string;
}

/** `synchronize` is never on: the schema changes only through migrations/. */
export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource({
    type: 'postgres',
    url: settings.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'custos_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    poolSize: settings.poolSize ?? 10,
    applicationName: settings.applicationName ?? 'custos',
    extra: { statement_timeout: 30_000 },
  });
}

/** Applies pending migrations with the owner role's URL; returns the names applied. */
export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = createDataSource({ url, poolSize: 1, applicationName: 'custos-migrate' });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
