import { type IncomingMessage } from 'node:http';
import { RequestMethod, type DynamicModule } from '@nestjs/common';
import { createPinoOptions, type LoggingConfig } from '@custos/runtime';
import { LoggerModule } from 'nestjs-pino';
import { type LevelWithSilent } from 'pino';
import { type Options as HttpLoggerOptions } from 'pino-http';
import { assignRequestId } from './request-id';

export function createHttpLoggerOptions(config: LoggingConfig): HttpLoggerOptions {
  return {
    ...createPinoOptions(config),
    // Our serializers start from pino's standard ones themselves; wrapping them again would
    // re-serialize an already redacted error as if it were a new one.
    wrapSerializers: false,
    genReqId: assignRequestId,
    autoLogging: { ignore: isProbeRequest },
    customLogLevel: (_req, res, err): LevelWithSilent => (err || res.statusCode >= 500 ? 'error' : 'info'),
  };
}

/**
 * nestjs-pino 5.2.1 mounts its middleware on `{/*splat}`, which @nestjs/platform-fastify 12.5
 * never matches: no request would be logged or get an id. `/{*splat}` matches every path.
 */
export const LOGGED_ROUTES = [{ path: '/{*splat}', method: RequestMethod.ALL }];

export function createLoggerModule(config: LoggingConfig): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: createHttpLoggerOptions(config),
    forRoutes: LOGGED_ROUTES,
    // The hot path: one line per verify would dominate the log and its cost; metrics count verifies.
    exclude: [{ method: RequestMethod.POST, path: 'v1/verify' }],
  });
}

// Probes and scrapes arrive every few seconds and would drown the request log. They still get a
// request id and a request-scoped logger; only the automatic "request completed" line is skipped.
function isProbeRequest(req: IncomingMessage): boolean {
  if (req.method !== 'GET') return false;
  const path = pathOf(req);
  return path === '/metrics' || path.startsWith('/health/');
}

function pathOf(req: IncomingMessage): string {
  // Middleware mounted on a path may see a rewritten `url`; `originalUrl` is what was asked for.
  const { originalUrl } = req as IncomingMessage & { originalUrl?: string };
  const url = originalUrl ?? req.url ?? '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
