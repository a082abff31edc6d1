import { andThen, type VerifyInput, type VerifyResult, type VerifyService } from '@custos/application';
import type { CustosScope, FieldError } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import { type Authenticator } from '../auth/authenticator';
import { jsonSchemaOf } from '../http/dto-json-schema';
import type { HotPath } from '../http/hot-path';
import { sendProblem } from '../http/problem-details.filter';
import { originOf } from '../http/request-origin';
import { checkRequestText } from '../http/request-text';
import type { MetricsService } from '../observability/metrics.service';
import { DOCS_EXTENSION, SCOPES_EXTENSION, type MarkedOperation } from '../openapi/operation-docs';
import { VerifyDto, VerifyResponse } from './verify.dto';

/**
 * The route's contract, declared once: the handler's path and scope check, its body's validation (the
 * JSON Schema read from VerifyDto's decorators) and its OpenAPI entry (VERIFY_OPENAPI, whose schemas
 * are VerifyDto's and VerifyResponse's, as for any Nest route) are all built from it.
 */
const VERIFY = {
  path: '/v1/verify',
  scopes: ['custos:tokens:verify'] satisfies CustosScope[],
  body: VerifyDto,
  response: VerifyResponse,
  tags: ['verify'],
  operationId: 'verify',
  summary: 'Verify a presented token',
  description:
    'Always 200 with a code: a refused token is an answer, not an error of the caller. Checks run in the order documented in docs/api.md.',
  responseDescription: 'The verdict',
  // The example token of docs/token-format.md: well formed, issued to nobody, so it answers NOT_FOUND.
  example: { token: 'cus_test_Y9TXfdKn3SBotiUYqUgzpCXCYUtShaxp7b8u6sRsA1TZ6rS6VfPcp8B3UOvJB', scopes: ['orders:read'], context: { ip: '203.0.113.7' } },
};

const BODY_SCHEMA = jsonSchemaOf(VERIFY.body);

/** The serializer's schema: a field left out of it would be silently dropped, hence the key check. */
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
    rateLimit: {
      type: 'object',
      properties: { limit: { type: 'integer' }, remaining: { type: 'integer' }, resetAt: { type: 'string' } },
    },
    retryAfterSeconds: { type: 'integer' },
    cache: {
      type: 'object',
      properties: {
        lookupId: { type: 'string' },
        scopes: { type: 'array', items: { type: 'string' } },
        expiresAt: { type: 'string' },
        graceEndsAt: { type: ['string', 'null'] },
        notBefore: { type: ['string', 'null'] },
        allowedCidrs: { type: 'array', items: { type: 'string' } },
        consent: { type: ['object', 'null'], properties: { validFrom: { type: 'string' }, validUntil: { type: 'string' } } },
      },
    },
  },
} as const satisfies { type: 'object'; properties: Record<keyof VerifyResponse, object> };

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
  hotPath.claim(VERIFY.path);
  // Both send and return nothing: a handler's promise that resolves to a value would have Fastify send it again.
  const answer = (reply: FastifyReply, result: VerifyResult): void => {
    deps.metrics.verifyResult(result.code);
    void reply.header('cache-control', 'no-store').send(result);
  };
  const refuse = (request: FastifyRequest, reply: FastifyReply, error: unknown): void => sendProblem(reply, request, error);
  hotPath.fastify.post(VERIFY.path, { schema: { response: { 200: RESPONSE_SCHEMA } } }, (request: FastifyRequest, reply: FastifyReply) => {
    // Not an async function: a verify answered from memory makes no promise at all (see MaybePromise).
    try {
      const result = andThen(deps.authenticator.authenticate(request as AuthenticatedRequest), (principal) => {
        deps.authenticator.requireScopes(principal, VERIFY.scopes);
        // The text rules of every other route; VerifyDto exempts `token` from them.
        checkRequestText(request.body, { source: 'body', dto: VerifyDto });
        if (!validateBody(request.body)) throw DomainError.validation(fieldErrorsOf(validateBody.errors ?? []));
        return deps.verifier.verify(principal, request.body, originOf(request));
      });
      if (result instanceof Promise) {
        return result.then(
          (later) => answer(reply, later),
          (error: unknown) => refuse(request, reply, error),
        );
      }
      answer(reply, result);
    } catch (error) {
      refuse(request, reply, error);
    }
    return undefined;
  });
}

// Marked as RequireScopes and ApiDoc mark a Nest route: documentOperations adds the rest.
const VERIFY_OPERATION: MarkedOperation = {
  tags: VERIFY.tags,
  operationId: VERIFY.operationId,
  summary: VERIFY.summary,
  description: VERIFY.description,
  [SCOPES_EXTENSION]: VERIFY.scopes,
  [DOCS_EXTENSION]: { example: VERIFY.example },
  requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${VERIFY.body.name}` } } } },
  responses: {
    '200': {
      description: VERIFY.responseDescription,
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${VERIFY.response.name}` } } },
    },
  },
};

/**
 * The route in the OpenAPI document, which Nest's scanner does not see (it is registered on Fastify
 * directly). Its DTOs are registered as extra models, so their schemas are generated as any DTO's.
 */
export const VERIFY_OPENAPI = { path: VERIFY.path, item: { post: VERIFY_OPERATION }, models: [VERIFY.body, VERIFY.response] };

