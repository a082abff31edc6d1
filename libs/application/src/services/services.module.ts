import { StewardsModule } from '../stewards/stewards.module';
import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ServicesService } from './services.service';

@Module({ imports: [AuditModule, StewardsModule], providers: [ServicesService], exports: [ServicesService] })
export class ServicesModule {}
