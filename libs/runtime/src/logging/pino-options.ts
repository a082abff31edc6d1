import { type IncomingMessage, type ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { stdSerializers, stdTimeFunctions, type LoggerOptions } from 'pino';
import { type CustosConfig } from '../config/custos-config';
import { redactSecrets, redactTokenStringsInLogLine, redactUrl } from './redaction';

export type LoggingConfig = Pick<CustosConfig, 'LOG_LEVEL' | 'NODE_ENV'>;

/**
 * What every Custos log line goes through, HTTP or not. Two layers, the second for what the
 * first cannot see:
 * - `formatters.log` and the serializers drop the values of secret-looking keys at any depth
 *   (logged objects, Errors and their own properties, request and response headers);
 * - `hooks.streamWrite` scrubs token- and session-shaped strings from the finished line, so a
 *   token inside `msg`, `err.message`, a stack or a URL's query never reaches the output (a
 *   request's URL is also checked decoded, for a token whose characters were percent-encoded).
 */
export function createPinoOptions(config: LoggingConfig): LoggerOptions {
  return {
    level: config.LOG_LEVEL,
    base: { pid: process.pid, hostname: hostname(), env: config.NODE_ENV },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { log: (object) => redactSecrets(object) },
    serializers: {
      req: (req: IncomingMessage) => {
        const serialized = redactSecrets(stdSerializers.req(req));
        const url = redactUrl(serialized.url);
        return url === serialized.url ? serialized : { ...serialized, url };
      },
      res: (res: ServerResponse) => redactSecrets(stdSerializers.res(res)),
      err: (err: unknown) => redactSecrets(err),
    },
    hooks: { streamWrite: redactTokenStringsInLogLine },
  };
}

