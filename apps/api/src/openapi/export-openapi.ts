import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { RedisKeys } from '@custos/contracts';
import { loadConfig } from '@custos/runtime';
import { AppModule } from '../app.module';
import { buildOpenApiDocument } from './openapi-document';

// Placeholders that pass config validation; in preview mode no provider runs, so nothing connects.
const OFFLINE_ENV: NodeJS.ProcessEnv = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://offline.invalid/custos',
  REDIS_URL: 'redis://offline.invalid:6379',
  CUSTOS_TOKEN_PEPPER: 'offline-openapi-export-placeholder-pepper',
  CUSTOS_MASTER_KEY: 'offline-openapi-export-placeholder-master-key',
  LOG_LEVEL: 'silent',
};

/**
 * The OpenAPI document without a database or Redis: Nest's preview mode builds the module graph and
 * the controllers' metadata but instantiates no provider, which is all the swagger scanner reads.
 */
export async function exportOpenApiDocument(): Promise<OpenAPIObject> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(loadConfig(OFFLINE_ENV), new RedisKeys('{custos-offline}')), new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  exportOpenApiDocument()
    .then((document) => process.stdout.write(`${JSON.stringify(document, null, 2)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`OpenAPI export failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}
