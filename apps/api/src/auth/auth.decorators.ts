/// <reference types="@fastify/cookie" />
import { applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';
import type { CustosScope } from '@custos/contracts';
import type { Principal, RequestMeta } from '@custos/application';
import type { FastifyRequest } from 'fastify';
import { SCOPES_EXTENSION } from '../openapi/operation-docs';

/** The route's custos scopes, typed where they are set and where the guard reads them. */
export const REQUIRED_SCOPES = Reflector.createDecorator<readonly CustosScope[]>();

/**
 * The caller must hold every one of these custos scopes (a role's, or a service key's). The OpenAPI
 * document's permissions for the route are read from the same mark (openapi/operation-docs.ts).
 */
export const RequireScopes = (...scopes: CustosScope[]): MethodDecorator =>
  applyDecorators(REQUIRED_SCOPES(scopes), ApiExtension(SCOPES_EXTENSION, scopes));

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal; sessionToken?: string };

export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal on a public route');
  return principal;
});

function requestMetaOf(request: FastifyRequest): RequestMeta {
  return { requestId: String(request.id), ip: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null };
}

export const Meta = createParamDecorator((_data: unknown, ctx: ExecutionContext): RequestMeta =>
  requestMetaOf(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
