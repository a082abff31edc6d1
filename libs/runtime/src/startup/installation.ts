import { RedisKeys, installationNamespace } from '@custos/contracts';
import { readDatabaseIdentity } from '@custos/persistence';
import { pino } from 'pino';
import type { CustosConfig } from '../config/custos-config';
import { createPinoOptions } from '../logging/pino-options';
import { judgeLoginRole } from './database-role-policy';

/** The api or worker must not start on this database as configured; the message says what to change. */
export class StartRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartRefused';
  }
}

/** What the api and the worker learn from the database before they build their modules. */
export interface Installation {
  id: string;
  /** Every Redis name of this installation, in its namespace. */
  redisKeys: RedisKeys;
}

/**
 * Checks the login DATABASE_URL uses (see judgeLoginRole) and reads the installation's id, from which
 * the Redis namespace is derived unless CUSTOS_QUEUE_PREFIX names one.
 */
export async function openInstallation(config: CustosConfig, processName: string): Promise<Installation> {
  const identity = await readDatabaseIdentity(config.DATABASE_URL, processName);
  const verdict = judgeLoginRole(identity.login, config);
  const logger = pino(createPinoOptions(config));
  switch (verdict.action) {
    case 'refuse':
      throw new StartRefused(verdict.message);
    case 'warn':
      logger.warn({ databaseRole: identity.login.name }, `SECURITY WARNING: ${verdict.message}`);
      break;
    case 'note':
      logger.info({ databaseRole: identity.login.name }, verdict.message);
      break;
    case 'accept':
      break;
  }
  if (!identity.installationId) {
    throw new StartRefused('The database schema is not up to date: apply the migrations first (npm run db:migrate).');
  }
  const namespace = config.CUSTOS_QUEUE_PREFIX ?? installationNamespace(identity.installationId);
  return { id: identity.installationId, redisKeys: new RedisKeys(namespace) };
}
