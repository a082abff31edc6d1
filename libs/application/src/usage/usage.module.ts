import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CrossBorderExport } from './cross-border-export';
import { CrossBorderQuery } from './cross-border-query';
import { UsageEventWriter } from './usage-event-writer';
import { UsageObserver } from './usage-observer';
import { UsagePartitions } from './usage-partitions';
import { UsageQuery } from './usage-query';

const USAGE = [UsageEventWriter, UsageObserver, UsageQuery, CrossBorderQuery, CrossBorderExport];

/** Usage events: buffered by the api as verifies and service-key requests happen, written in batches; and read back, cross-border transfers included. */
@Module({ imports: [AuditModule], providers: USAGE, exports: USAGE })
export class UsageModule {}

/** The worker's upkeep of usage storage: partitions ahead, retention behind. */
@Module({ providers: [UsagePartitions], exports: [UsagePartitions] })
export class UsageMaintenanceModule {}
