import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ServicesService } from './services.service';

@Module({ imports: [AuditModule], providers: [ServicesService], exports: [ServicesService] })
export class ServicesModule {}
