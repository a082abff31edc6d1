import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { DomainError } from '@custos/domain';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER } from '../observability/request-id';
import { domainErrorForStatus, problemOf } from './problem-details';
import { SECURITY_HEADERS } from './security-headers';

const logger = new Logger('Errors');

/** Turns anything thrown into problem+json; unknown errors are a 500 that reveals nothing. */
export function toProblem(error: unknown, requestId: string | null) {
  if (error instanceof DomainError) return problemOf(error, requestId);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return problemOf(domainErrorForStatus(status, status === 400 ? error.message : ''), requestId);
  }
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Fastify's own client errors (bad JSON, body too large, wrong content type).
    return problemOf(domainErrorForStatus(status, status === 400 ? 'The body is not valid JSON.' : ''), requestId);
  }
  logger.error({ err: error, requestId }, 'unhandled error');
  return problemOf(domainErrorForStatus(500, ''), requestId);
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, error: unknown): void {
  const problem = toProblem(error, String(request.id));
  if (error instanceof DomainError && error.retryAfterSeconds !== undefined) void reply.header('retry-after', String(error.retryAfterSeconds));
  void reply.status(problem.status).header('content-type', 'application/problem+json').send(problem);
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(http.getResponse<FastifyReply>(), http.getRequest<FastifyRequest>(), error);
  }
}

/**
 * The longest path parameter the router takes (Fastify's `maxParamLength`, 100 by default). Ids are far
 * shorter; it is long enough that an id with a token pasted after it reaches the text rules (and is
 * answered SECRET_IN_TEXT) instead of the router's limit.
 */
export const MAX_PATH_PARAM_LENGTH = 256;

/**
 * Fastify's `frameworkErrors`, for both instances: what the router refuses before any hook runs (a URL
 * whose percent-encoding is not UTF-8, FST_ERR_BAD_URL; a path parameter over MAX_PATH_PARAM_LENGTH,
 * FST_ERR_MAX_PARAM_LENGTH) answers problem+json like everything else, with the request id and the
 * security headers the skipped hooks would have added.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  void reply.header(REQUEST_ID_HEADER, request.id).headers(SECURITY_HEADERS);
  const answer =
    error.code === 'FST_ERR_BAD_URL'
      ? DomainError.validation([{ field: 'url', message: 'is not a valid URL: a percent-encoded sequence is not UTF-8' }], 'The URL is not valid.')
      : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? DomainError.validation([{ field: 'url', message: `has a path parameter longer than ${MAX_PATH_PARAM_LENGTH} characters` }], 'The URL is not valid.')
        : error;
  sendProblem(reply, request, answer);
}
