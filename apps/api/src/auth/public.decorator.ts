import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { PUBLIC_EXTENSION } from '../openapi/operation-docs';

export const IS_PUBLIC = 'custos:public';

/**
 * A route anyone may call without credentials (health, metrics, sign-up, log-in, verify's own auth).
 * The OpenAPI document says so from the same mark (openapi/operation-docs.ts).
 */
export const Public = (): MethodDecorator & ClassDecorator => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(PUBLIC_EXTENSION, true));
