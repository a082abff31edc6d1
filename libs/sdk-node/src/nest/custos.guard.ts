import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { authorizeRequest, pathOf } from '../middleware/authorize-request';
import type { Verifier } from '../verifier/create-verifier';
import type { VerifyResult } from '../verifier/verify-types';
import { CustosRefusedException } from './custos-problem.filter';

/** The injection token of the Verifier CustosGuard uses: `{ provide: CUSTOS_VERIFIER, useValue: createVerifier(...) }`. */
export const CUSTOS_VERIFIER = Symbol.for('@custos/node:verifier');

/**
 * Scopes are kept beside the handler or controller they decorate, not in Nest's reflection metadata, so
 * the guard needs neither `reflect-metadata` nor Nest's Reflector (and so no `@nestjs/core`).
 */
const requiredScopes = new WeakMap<object, readonly string[]>();

/** The scopes a route (method) or every route of a controller (class) needs; a method's replace its class's. */
export function RequireScopes(...scopes: string[]): ClassDecorator & MethodDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    requiredScopes.set((descriptor?.value as object | undefined) ?? target, scopes);
  };
}

interface GuardedRequest {
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
  url?: string;
  custos?: VerifyResult;
}

/**
 * Lets a request through only with a bearer token Custos accepts for the route's `@RequireScopes`, from
 * the request's address; a refusal is thrown as CustosRefusedException (bind CustosProblemFilter to answer
 * it as problem+json). On success the verify result is at `request.custos`.
 */
@Injectable()
export class CustosGuard implements CanActivate {
  constructor(@Inject(CUSTOS_VERIFIER) private readonly verifier: Verifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const scopes = requiredScopes.get(context.getHandler()) ?? requiredScopes.get(context.getClass()) ?? [];
    const outcome = await authorizeRequest(this.verifier, { authorization: request.headers.authorization, ip: request.ip, resource: pathOf(request.url) }, { scopes: [...scopes] });
    if (!outcome.allowed) throw new CustosRefusedException(outcome.problem, outcome.retryAfterSeconds);
    request.custos = outcome.result;
    return true;
  }
}
