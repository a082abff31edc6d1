import { Module } from '@nestjs/common';
import { TokenCache } from './token-cache';

/**
 * The verify cache on its own: every feature that changes a token drops its snapshot here, and the
 * worker needs that without the verify path's usage flushing.
 */
@Module({ providers: [TokenCache], exports: [TokenCache] })
export class TokenCacheModule {}
