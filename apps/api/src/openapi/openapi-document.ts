import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { SESSION_COOKIE } from '../auth/session-cookie';
import { VERIFY_OPENAPI } from '../verify/verify.route';

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
      .setDescription('Issue, verify, rotate and revoke API tokens; every change is in a verifiable audit chain.')
      .setVersion('1')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        // Not a JWT: an opaque Custos token (docs/token-format.md).
        bearerFormat: 'Custos token (cus_<environment>_<lookup id>_<secret>)',
        description: 'A service key: a Custos token holding custos: scopes.',
      })
      .addCookieAuth(SESSION_COOKIE, { type: 'apiKey', in: 'cookie', description: 'A dashboard session, from POST /v1/auth/login.' }, SESSION_SCHEME)
      .addApiKey(
        {
          type: 'apiKey',
          in: 'header',
          name: 'X-CSRF-Token',
          description: 'The csrfToken that log-in answered: sent with the session cookie on every request that changes something.',
        },
        CSRF_SCHEME,
      )
      .build(),
    { extraModels: VERIFY_OPENAPI.models },
  );
  // The verify route is registered on Fastify directly (hot path), so Nest's scanner does not see it.
  document.paths[VERIFY_OPENAPI.path] = VERIFY_OPENAPI.item;
  requireCsrfWithSessions(document);
  return document;
}

const SESSION_SCHEME = 'cookie';
const CSRF_SCHEME = 'csrf';
const SAFE_METHODS = new Set(['get', 'head', 'options']);

/** A session may change something only with its CSRF header (AuthGuard); the document says so per operation. */
function requireCsrfWithSessions(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (SAFE_METHODS.has(method) || typeof operation !== 'object' || operation === null || !('security' in operation)) continue;
      const withSecurity = operation as { security?: Array<Record<string, string[]>> };
      // New objects: Nest shares one requirement object among a controller's operations.
      withSecurity.security = withSecurity.security?.map((requirement) =>
        SESSION_SCHEME in requirement ? { ...requirement, [CSRF_SCHEME]: [] } : requirement,
      );
    }
  }
}
