import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { TokenCacheModule } from '../verify/token-cache.module';
import { PolicyService } from './policy.service';

@Module({ imports: [AuditModule, TokenCacheModule], providers: [PolicyService], exports: [PolicyService] })
export class PolicyModule {}
