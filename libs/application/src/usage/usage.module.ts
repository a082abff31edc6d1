import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PolicyModule } from '../policy/policy.module';
import { CrossBorderExport } from './cross-border-export';
import { CrossBorderQuery } from './cross-border-query';
import { UsageEventWriter } from './usage-event-writer';
import { UsageObserver } from './usage-observer';
import { UsagePartitions } from './usage-partitions';
import { RegionsQuery } from './regions-query';
import { UsageQuery } from './usage-query';

const USAGE = [UsageEventWriter, UsageObserver, UsageQuery, CrossBorderQuery, CrossBorderExport, RegionsQuery];

/** Usage events: buffered by the api as verifies and service-key requests happen, written in batches; and read back, cross-border transfers included, with the region groups they are placed in. */
@Module({ imports: [AuditModule, PolicyModule], providers: USAGE, exports: USAGE })
export class UsageModule {}

/** The worker's upkeep of usage storage: partitions ahead, retention behind. */
@Module({ providers: [UsagePartitions], exports: [UsagePartitions] })
export class UsageMaintenanceModule {}
