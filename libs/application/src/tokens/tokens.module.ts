import { StewardsModule } from '../stewards/stewards.module';
import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PolicyModule } from '../policy/policy.module';
import { TokenCacheModule } from '../verify/token-cache.module';
import { SuccessorPickup } from './successor-pickup';
import { TokenEditor } from './token-editor.service';
import { TokenIssuer } from './token-issuer.service';
import { TokenLifecycle } from './token-lifecycle.service';
import { TokenQuery } from './token-query.service';

const TOKENS = [TokenIssuer, TokenEditor, TokenLifecycle, TokenQuery, SuccessorPickup];

/** Issue, edit, rotate, suspend, revoke and read tokens. */
@Module({ imports: [AuditModule, PolicyModule, TokenCacheModule, StewardsModule], providers: TOKENS, exports: TOKENS })
export class TokensModule {}
