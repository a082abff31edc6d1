import type { LoggerService } from '@nestjs/common';

/**
 * What Nest says about itself while it starts: a line per module, controller and mapped route (about
 * 190 for the api). Useful when debugging the wiring, noise in front of the start banner otherwise.
 */
const FRAMEWORK_CONTEXTS: ReadonlySet<string> = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

/** Nest passes the context as the last argument of a log call. */
function contextOf(params: readonly unknown[]): unknown {
  return params[params.length - 1];
}

/** The app's logger, with Nest's own start-up lines moved from info to debug. */
export class FrameworkChatterAtDebug implements LoggerService {
  constructor(private readonly logger: LoggerService) {}

  log(message: unknown, ...params: unknown[]): void {
    const context = contextOf(params);
    if (typeof context === 'string' && FRAMEWORK_CONTEXTS.has(context)) this.logger.debug?.(message, ...params);
    else this.logger.log(message, ...params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.logger.error(message, ...params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.logger.warn(message, ...params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.logger.debug?.(message, ...params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.logger.verbose?.(message, ...params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    (this.logger.fatal ?? this.logger.error).call(this.logger, message, ...params);
  }
}
