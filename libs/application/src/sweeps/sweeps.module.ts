import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { TokensModule } from '../tokens/tokens.module';
import { TokenCacheModule } from '../verify/token-cache.module';
import { TOKEN_SWEEPS } from './token-sweeper.service';

/** The scheduled sweeps over due tokens (expiry, grace end, rotation, notices, unused, consent end). */
@Module({ imports: [AuditModule, TokensModule, TokenCacheModule], providers: TOKEN_SWEEPS, exports: TOKEN_SWEEPS })
export class SweepsModule {}
