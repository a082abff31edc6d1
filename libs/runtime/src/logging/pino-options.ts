import { type IncomingMessage, type ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { networkOf } from '@custos/domain';
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
 * A request's client addresses (its peer, X-Forwarded-For, X-Real-IP) are logged as their networks:
 * an address is personal data, kept nowhere whole (docs/security.md).
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
        return { ...serialized, url: redactUrl(serialized.url), ...clientNetworks(serialized) };
      },
      res: (res: ServerResponse) => redactSecrets(stdSerializers.res(res)),
      err: (err: unknown) => redactSecrets(err),
    },
    hooks: { streamWrite: redactTokenStringsInLogLine },
  };
}

const ADDRESS_HEADERS = ['x-forwarded-for', 'x-real-ip'];

/** The peer and forwarded-for addresses of a serialized request as networks (`203.0.113.0/24`); `-` for a hop that is no address. */
function clientNetworks(req: { remoteAddress?: string; headers: Record<string, unknown> }): { remoteAddress?: string; headers: Record<string, unknown> } {
  const headers = { ...req.headers };
  for (const name of ADDRESS_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') headers[name] = value.split(',').map((hop) => networkOf(hop.trim()) ?? '-').join(', ');
  }
  return { remoteAddress: networkOf(req.remoteAddress) ?? undefined, headers };
}
