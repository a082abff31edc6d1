import { QUEUES } from '@custos/contracts';
import { migrateQueueSchema as migrateSchema } from '@custos/persistence';
import { createPostgresBackend, setDefaultBackendFactory, type ConnectionOptions, type RedisOptions } from 'bullmq';
import type { CustosConfig } from '../config/custos-config';

/** The schema of BullMQ's PostgreSQL tables and functions, beside Custos's own in the same database. */
export const QUEUE_SCHEMA = 'custos_queues';

/**
 * Each Queue and Worker handle owns a pool of its own on the PostgreSQL backend (plus one LISTEN
 * connection for a Worker); BullMQ documents a pool of one as enough, its blocking wait being on the
 * separate LISTEN connection. Kept at one so a process's handles stay a handful of connections.
 */
const POSTGRES_QUEUE_POOL_SIZE = 1;

type QueueSettings = Pick<CustosConfig, 'CUSTOS_QUEUE_BACKEND' | 'REDIS_URL' | 'DATABASE_URL'>;

/**
 * Points every BullMQ class of this process at the configured backend. Called once at start, before a
 * Queue or Worker is made: @nestjs/bullmq builds its own, so the process-wide default is the one switch
 * that reaches them.
 */
export function selectQueueBackend(config: Pick<CustosConfig, 'CUSTOS_QUEUE_BACKEND'>): void {
  setDefaultBackendFactory(config.CUSTOS_QUEUE_BACKEND === 'postgres' ? createPostgresBackend : undefined);
}

/**
 * The `connection` for a BullMQ Queue or Worker of this process: Redis options (with `redis` added, e.g.
 * fail-fast settings), or the database in QUEUE_SCHEMA. The migrations are the launcher's or the api's
 * (migrateQueueSchema), not each handle's.
 */
export function queueConnection(config: QueueSettings, name: string, redis: Partial<RedisOptions> = {}): ConnectionOptions {
  if (config.CUSTOS_QUEUE_BACKEND === 'redis') return { url: config.REDIS_URL, connectionName: name, ...redis };
  const postgres = {
    connectionString: config.DATABASE_URL,
    schema: QUEUE_SCHEMA,
    max: POSTGRES_QUEUE_POOL_SIZE,
    application_name: name,
    keepAlive: true,
  };
  // BullMQ's constructors are typed for Redis options whatever the default backend; selectQueueBackend
  // made PostgreSQL the backend, which takes exactly this shape (PostgresConnectionOptions).
  return postgres as unknown as ConnectionOptions;
}

/** BullMQ's schema for Custos's queues, usable by custos_app (see the persistence function). */
export function migrateQueueSchema(url: string): Promise<number> {
  return migrateSchema(url, QUEUE_SCHEMA, Object.values(QUEUES));
}
