import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { TokenCacheModule } from '../verify/token-cache.module';
import { ConsentsService } from './consents.service';
import { SubjectRequests } from './subject-requests.service';

@Module({ imports: [AuditModule, TokenCacheModule], providers: [ConsentsService, SubjectRequests], exports: [ConsentsService, SubjectRequests] })
export class ConsentsModule {}
