import { type VerifyService, type VerifyInput } from '@custos/application';
import type { FieldError } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import { type Authenticator } from '../auth/authenticator';
import type { HotPath } from '../http/hot-path';
import { sendProblem } from '../http/problem-details.filter';
import { checkRequestText } from '../http/request-text';
import type { MetricsService } from '../observability/metrics.service';
import { VerifyDto } from './verify.dto';

/** The same rules as VerifyDto, which documents them in OpenAPI. */
const BODY_SCHEMA = {
  type: 'object',
  required: ['token'],
  propertyNames: { enum: ['token', 'scopes', 'context'] },
  properties: {
    token: { type: 'string', maxLength: 512 },
    scopes: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 128 } },
    context: {
      type: 'object',
      propertyNames: { enum: ['ip', 'country', 'resource'] },
      properties: {
        ip: { type: 'string', anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }] },
        country: { type: 'string', pattern: '^[A-Z]{2}$' },
        resource: { type: 'string', minLength: 1, maxLength: 500 },
      },
    },
  },
} as const;

const RESPONSE_SCHEMA = {
  type: 'object',
  properties: {
    valid: { type: 'boolean' },
    code: { type: 'string' },
    tokenId: { type: 'string' },
    ownerServiceId: { type: ['string', 'null'] },
    scopes: { type: 'array', items: { type: 'string' } },
    expiresAt: { type: 'string' },
    remainingUses: { type: ['integer', 'null'] },
  },
} as const;

// Unknown fields are an error, not silently dropped, and nothing is coerced: as everywhere in the API.
const ajv = new Ajv({ allErrors: true, coerceTypes: false, removeAdditional: false, useDefaults: false });
addFormats(ajv, ['ipv4', 'ipv6']);
const validateBody = ajv.compile<VerifyInput>(BODY_SCHEMA);

/**
 * Ajv's errors as `{ field, message }` with dotted paths, like the rest of the API. The inner errors of
 * `propertyNames` (enum) and of the IP's `anyOf` (one per format) are folded into their parent's.
 */
function fieldErrorsOf(errors: readonly ErrorObject[]): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    if (e.schemaPath.endsWith('/propertyNames/enum') || e.schemaPath.includes('/anyOf/')) continue;
    const params = e.params as { missingProperty?: string; propertyName?: string };
    const field = [e.instancePath.slice(1).replace(/\//g, '.'), params.missingProperty ?? params.propertyName]
      .filter(Boolean)
      .join('.');
    const message =
      e.keyword === 'propertyNames' ? 'is not a known field' : e.keyword === 'anyOf' ? 'must be an IPv4 or IPv6 address' : (e.message ?? 'is not valid');
    out.push({ field: field || 'body', message });
  }
  return out;
}

const VERIFY_PATH = '/v1/verify';

/**
 * POST /v1/verify on the hot path's bare Fastify instance: it skips Nest's per-request pipeline (guards,
 * class-validator, interceptors, middleware), the request logger and helmet's per-request work, and
 * keeps what it needs — the same authentication, scope check, validation and text rules, security
 * headers (see HotPath), problem+json errors and metrics.
 */
export function registerVerifyRoute(
  hotPath: HotPath,
  deps: { authenticator: Authenticator; verifier: VerifyService; metrics: MetricsService },
): void {
  hotPath.claim(VERIFY_PATH);
  hotPath.fastify.post(
    VERIFY_PATH,
    { schema: { response: { 200: RESPONSE_SCHEMA } } },
    async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        const principal = await deps.authenticator.authenticate(request as AuthenticatedRequest);
        deps.authenticator.requireScopes(principal, ['custos:tokens:verify']);
        // The text rules of every other route; VerifyDto exempts `token` from them.
        checkRequestText(request.body, { source: 'body', dto: VerifyDto });
        if (!validateBody(request.body)) throw DomainError.validation(fieldErrorsOf(validateBody.errors ?? []));
        const result = await deps.verifier.verify(principal, request.body);
        deps.metrics.verifyResult(result.code);
        return reply.header('cache-control', 'no-store').send(result);
      } catch (error) {
        sendProblem(reply, request, error);
        return reply;
      }
    },
  );
}

/** OpenAPI for the route, from the DTO classes registered as extra models. */
export const VERIFY_OPENAPI_PATH: OpenAPIObject['paths'][string] = {
  post: {
    tags: ['verify'],
    operationId: 'verify',
    summary: 'Verify a presented token',
    description:
      'Always 200 with a code: a refused token is an answer, not an error of the caller. Checks run in the order documented in docs/api.md. Needs custos:tokens:verify.',
    security: [{ bearer: [] }, { custos_session: [] }],
    requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/VerifyDto' } } } },
    responses: {
      '200': { description: 'The verdict', content: { 'application/json': { schema: { $ref: '#/components/schemas/VerifyResponse' } } } },
    },
  },
};
