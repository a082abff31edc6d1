import type { RequestOrigin } from '@custos/application';
import type { FastifyRequest } from 'fastify';

/**
 * Where a request came from, for its usage event: the client address and protocol Fastify read (past
 * the proxies of CUSTOS_TRUSTED_PROXIES, and only theirs), and the user agent.
 */
export function originOf(request: FastifyRequest): RequestOrigin {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, transport: request.protocol === 'https' ? 'https' : 'http', userAgent: typeof userAgent === 'string' ? userAgent : undefined };
}
