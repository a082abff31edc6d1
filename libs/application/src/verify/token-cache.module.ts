import { Module } from '@nestjs/common';
import { TokenChanges } from '../feed/token-changes';
import { TokenCache } from './token-cache';

/**
 * The verify cache on its own: every feature that changes a token drops its snapshot here, and the
 * worker needs that without the verify path's usage flushing. TokenChanges tells the events feed too.
 */
@Module({ providers: [TokenCache, TokenChanges], exports: [TokenCache, TokenChanges] })
export class TokenCacheModule {}
