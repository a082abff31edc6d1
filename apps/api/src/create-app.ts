import { existsSync } from 'node:fs';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { AuthService, InstallationService, UsageObserver, VerifyService } from '@custos/application';
import { runMigrations } from '@custos/persistence';
import { FrameworkChatterAtDebug, migrateQueueSchema, openInstallation, selectQueueBackend, type CustosConfig } from '@custos/runtime';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { Authenticator } from './auth/authenticator';
import { dashboardCacheControl, dashboardDir } from './dashboard/dashboard.controller';
import { HotPath } from './http/hot-path';
import { depthLimitedJsonParser } from './http/json-body';
import { answerFrameworkError, MAX_PATH_PARAM_LENGTH } from './http/problem-details.filter';
import { registerSecurityHeaders } from './http/security-headers';
import { cacheValidationMetadata } from './http/validation-metadata-cache';
import { MetricsService, registerHttpMetrics } from './observability/metrics.module';
import { recordServiceKeyUsage } from './observability/service-key-usage';
import { echoRequestId, requestIdFor } from './observability/request-id';
import { buildOpenApiDocument } from './openapi/openapi-document';
import { QueueDashboard, registerQueueDashboard } from './queues/queue-dashboard';
import { registerVerifyRoute } from './verify/verify.route';
import { staticRouteUrls } from './dashboard/static-routes';

/** Builds the configured api (migrations, bootstrap admin, HTTP stack); the caller listens. */
export async function createApp(config: CustosConfig): Promise<NestFastifyApplication> {
  if (config.CUSTOS_MIGRATE_ON_START) {
    await runMigrations(config.DATABASE_MIGRATION_URL ?? config.DATABASE_URL);
    if (config.CUSTOS_QUEUE_BACKEND === 'postgres') await migrateQueueSchema(config.DATABASE_MIGRATION_URL ?? config.DATABASE_URL);
  }
  cacheValidationMetadata();
  const installation = await openInstallation(config, 'custos-api');
  selectQueueBackend(config);

  // X-Forwarded-For/-Proto believed only from the configured proxies (docs/configuration.md#trusted-proxies),
  // the same on both instances so request.ip and request.protocol agree on every route. No list: false,
  // not [], which would still make Fastify parse the headers on every read of request.ip.
  const trustProxy = config.CUSTOS_TRUSTED_PROXIES.length > 0 ? [...config.CUSTOS_TRUSTED_PROXIES] : false;
  const hotPath = new HotPath({ bodyLimit: config.CUSTOS_BODY_LIMIT_BYTES, trustProxy });
  const adapter = new FastifyAdapter({
    serverFactory: hotPath.serverFactory,
    trustProxy,
    bodyLimit: config.CUSTOS_BODY_LIMIT_BYTES,
    requestIdHeader: false,
    // The same memoised id for Fastify's request.id (problem bodies), the logs and the response header.
    genReqId: requestIdFor,
    frameworkErrors: answerFrameworkError,
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
  });
  const fastify = adapter.getInstance();
  echoRequestId(fastify);

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, installation.redisKeys), adapter, {
    bufferLogs: true,
    // request.rawBody: the bytes a signed request (GitHub's leak reports) is checked against, never re-serialised JSON.
    rawBody: true,
  });
  app.useLogger(new FrameworkChatterAtDebug(app.get(Logger)));
  app.enableShutdownHooks();
  // Registered through Nest so that its own JSON parser is not added on init.
  app.useBodyParser('application/json', {}, depthLimitedJsonParser(fastify));

  await app.register(fastifyCookie);
  registerSecurityHeaders(fastify);
  const staticRoot = dashboardDir(config);
  const staticRoutes = existsSync(staticRoot) ? staticRouteUrls(staticRoot) : new Set<string>();
  if (existsSync(staticRoot)) {
    await app.register(fastifyStatic, {
      root: staticRoot,
      wildcard: false,
      index: ['index.html'],
      // The build writes .br and .gz siblings of its text files; the one the client accepts is sent.
      preCompressed: true,
      setHeaders: (reply, path) => reply.header('cache-control', dashboardCacheControl(staticRoot, path)),
    });
  }
  registerHttpMetrics(fastify, app.get(MetricsService), staticRoutes);
  recordServiceKeyUsage(fastify, app.get(UsageObserver));
  await registerQueueDashboard(fastify, {
    auth: app.get(AuthService),
    dashboard: app.get(QueueDashboard),
    installation: app.get(InstallationService),
  });
  registerHttpMetrics(hotPath.fastify, app.get(MetricsService));
  registerVerifyRoute(hotPath, {
    authenticator: app.get(Authenticator),
    verifier: app.get(VerifyService),
    metrics: app.get(MetricsService),
  });
  await hotPath.ready();
  fastify.addHook('onClose', () => hotPath.close());

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });

  await app.init();
  if (config.CUSTOS_ADMIN_EMAIL && config.CUSTOS_ADMIN_PASSWORD) {
    await app.get(AuthService).bootstrap({
      organization: config.CUSTOS_ORG_NAME,
      email: config.CUSTOS_ADMIN_EMAIL,
      password: config.CUSTOS_ADMIN_PASSWORD,
    });
  }
  return app;
}
