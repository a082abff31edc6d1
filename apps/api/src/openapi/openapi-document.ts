import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
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
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A service key (a Custos token with custos: scopes)' })
      .addCookieAuth('custos_session')
      .build(),
    { extraModels: VERIFY_OPENAPI.models },
  );
  // The verify route is registered on Fastify directly (hot path), so Nest's scanner does not see it.
  document.paths[VERIFY_OPENAPI.path] = VERIFY_OPENAPI.item;
  return document;
}
