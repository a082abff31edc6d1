import { runMigrations } from '@custos/persistence';
import { startEmbeddedPostgres } from '@custos/runtime';
import { describeDatabaseUrl, readLauncherSettings } from './launcher-settings';

/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_MIGRATION_URL (the schema owner) or
 * DATABASE_URL, or, when DATABASE_URL is unset, to the embedded Postgres in the data directory that
 * `npm start` uses (which must not be running at the same time).
 */
async function main(): Promise<void> {
  const settings = readLauncherSettings(process.env);
  if (settings.embedded) {
    const pg = await startEmbeddedPostgres({
      dataDir: settings.pgDataDir,
      socketDir: settings.pgSocketDir,
      maxConnections: 2,
    });
    try {
      report(`embedded Postgres in ${settings.pgDataDir}`, await runMigrations(pg.url));
    } finally {
      await pg.stop();
    }
    return;
  }
  // Not embedded: DATABASE_URL is set, so there is a migration URL.
  const url = settings.migrationUrl!;
  report(describeDatabaseUrl(url), await runMigrations(url));
}

function report(target: string, applied: string[]): void {
  if (applied.length === 0) {
    process.stdout.write(`No pending migrations for ${target}.\n`);
    return;
  }
  process.stdout.write(`Applied ${applied.length} migration(s) to ${target}:\n${applied.map((m) => `  ${m}\n`).join('')}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`Migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
