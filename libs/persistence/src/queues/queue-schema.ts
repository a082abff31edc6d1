import { runMigrations } from 'bullmq';
import pg from 'pg';

/**
 * Creates or updates BullMQ's PostgreSQL schema (its own versioned migrations, under an advisory lock),
 * then lets custos_app use it: the api and worker log in as a member of custos_app, not as the owner that
 * migrates. Each queue's job-id sequence is made here too, since BullMQ would otherwise create it at the
 * first job, as whichever login added it, and leave it to that login alone.
 */
export async function migrateQueueSchema(url: string, schema: string, queueNames: readonly string[]): Promise<number> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid queue schema name ${schema}`);
  const client = new pg.Client({ connectionString: url, application_name: 'custos-migrate-queues' });
  await client.connect();
  try {
    const version = await runMigrations(client, schema);
    await client.query('BEGIN');
    await client.query(`SET LOCAL search_path TO ${schema}`);
    for (const queue of queueNames) {
      await client.query(`SELECT format('CREATE SEQUENCE IF NOT EXISTS %I', job_id_seq_name($1))`, [queue]).then(({ rows }) =>
        client.query((rows[0] as { format: string }).format),
      );
    }
    await client.query(`GRANT USAGE ON SCHEMA ${schema} TO custos_app`);
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO custos_app`);
    await client.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${schema} TO custos_app`);
    await client.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${schema} TO custos_app`);
    await client.query('COMMIT');
    return version;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
