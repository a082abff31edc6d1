import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { SESSION_COOKIE } from '../auth/session-cookie';
import { ProblemDetails } from '../http/problem-details';
import { VERIFY_OPENAPI } from '../verify/verify.route';
import { documentOperations, SECURITY_SCHEMES } from './operation-docs';

/**
 * The API's OpenAPI document, as /openapi.json serves it. Kept in one function so the offline export
 * (which generates the dashboard's client without a database) and the running server agree; the
 * dashboard's drift test compares the two.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Custos API')
      .setDescription(
        'Issue, verify, rotate and revoke API tokens; every change is in a verifiable audit chain. ' +
          'Each operation says who may call it; every error is RFC 9457 application/problem+json (ProblemDetails).',
      )
      .setVersion('1')
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          // Not a JWT: an opaque Custos token (docs/token-format.md).
          bearerFormat: 'Custos token (cus_<environment>_<lookup id>_<secret>)',
          description: 'A service key: a Custos token holding custos: scopes.',
        },
        SECURITY_SCHEMES.bearer,
      )
      .addCookieAuth(
        SESSION_COOKIE,
        { type: 'apiKey', in: 'cookie', description: 'A dashboard session, from POST /v1/auth/login.' },
        SECURITY_SCHEMES.session,
      )
      .addApiKey(
        {
          type: 'apiKey',
          in: 'header',
          name: 'X-CSRF-Token',
          description: 'The csrfToken that log-in answered: sent with the session cookie on every request that changes something.',
        },
        SECURITY_SCHEMES.csrf,
      )
      .build(),
    { extraModels: [...VERIFY_OPENAPI.models, ProblemDetails] },
  );
  // The verify route is registered on Fastify directly (hot path), so Nest's scanner does not see it.
  document.paths[VERIFY_OPENAPI.path] = VERIFY_OPENAPI.item;
  documentOperations(document);
  return document;
}
