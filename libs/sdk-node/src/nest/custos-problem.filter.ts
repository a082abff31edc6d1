import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails } from '../middleware/refusal';

/** Thrown by CustosGuard; CustosProblemFilter answers it as problem+json. */
export class CustosRefusedException extends HttpException {
  constructor(
    readonly problem: ProblemDetails,
    readonly retryAfterSeconds?: number,
  ) {
    super(problem, problem.status);
  }
}

/** The reply of either Nest platform, as far as this filter writes it. */
interface FastifyLikeReply {
  code(status: number): FastifyLikeReply;
  header(name: string, value: string): FastifyLikeReply;
  send(body: string): unknown;
}
interface ExpressLikeResponse {
  status(status: number): ExpressLikeResponse;
  setHeader(name: string, value: string): unknown;
  end(body: string): unknown;
}

/**
 * Answers a CustosGuard refusal with `application/problem+json` (RFC 9457), on Fastify and Express alike:
 * Nest's own filter would send it as plain JSON.
 */
@Catch(CustosRefusedException)
export class CustosProblemFilter implements ExceptionFilter<CustosRefusedException> {
  catch(exception: CustosRefusedException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyLikeReply | ExpressLikeResponse>();
    const body = JSON.stringify(exception.problem);
    const retryAfter = exception.retryAfterSeconds === undefined ? undefined : String(exception.retryAfterSeconds);
    if ('code' in reply && typeof reply.code === 'function') {
      const sent = reply.code(exception.problem.status).header('content-type', PROBLEM_CONTENT_TYPE);
      if (retryAfter) sent.header('retry-after', retryAfter);
      sent.send(body);
      return;
    }
    const response = reply as ExpressLikeResponse;
    response.status(exception.problem.status);
    response.setHeader('content-type', PROBLEM_CONTENT_TYPE);
    if (retryAfter) response.setHeader('retry-after', retryAfter);
    response.end(body);
  }
}
