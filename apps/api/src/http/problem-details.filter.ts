import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { DomainError } from '@custos/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { domainErrorForStatus, problemOf } from './problem-details';

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
