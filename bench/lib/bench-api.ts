import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { BenchDatabase } from './bench-database';
import { API_MAIN, REPO_ROOT } from './paths';
import { startNodeServer, type ChildServer } from './processes';

/** Secrets the api instances of one run share, so that any of them verifies what another issued. */
export interface BenchSecrets {
  pepper: string;
  masterKey: string;
}

export function benchSecrets(): BenchSecrets {
  return { pepper: randomBytes(32).toString('base64url'), masterKey: randomBytes(32).toString('base64url') };
}

/** The built api in production mode on the bench database, as the app role (RLS on). */
export function startBenchApi(
  db: BenchDatabase,
  name: string,
  secrets: BenchSecrets = benchSecrets(),
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<ChildServer> {
  return startNodeServer({
    name,
    script: API_MAIN,
    nodeArgs,
    env: {
      NODE_ENV: 'production',
      DATABASE_URL: db.appUrl,
      CUSTOS_MIGRATE_ON_START: 'false',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      CUSTOS_TOKEN_PEPPER: secrets.pepper,
      CUSTOS_MASTER_KEY: secrets.masterKey,
      CUSTOS_TOKEN_PEPPER_ID: 'bench1',
      LOG_LEVEL: 'warn',
      ...env,
    },
    readyPath: '/health/ready',
  });
}

/** The built worker on the bench database (it serves no HTTP: the caller watches it by pid). */
export function startBenchWorker(db: BenchDatabase, secrets: BenchSecrets, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [join(REPO_ROOT, 'dist', 'apps', 'worker', 'src', 'main.js')], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      DATABASE_URL: db.appUrl,
      CUSTOS_MIGRATE_ON_START: 'false',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      CUSTOS_TOKEN_PEPPER: secrets.pepper,
      CUSTOS_TOKEN_PEPPER_ID: 'bench1',
      CUSTOS_MASTER_KEY: secrets.masterKey,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
