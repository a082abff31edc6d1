import { Module } from '@nestjs/common';
import { UsageEventWriter } from './usage-event-writer';
import { UsageObserver } from './usage-observer';
import { UsagePartitions } from './usage-partitions';
import { RegionsQuery } from './regions-query';
import { UsageQuery } from './usage-query';

/** Usage events: buffered by the api as verifies and service-key requests happen, written in batches; and read back. With the region groups they are placed in. */
@Module({ providers: [UsageEventWriter, UsageObserver, UsageQuery, RegionsQuery], exports: [UsageEventWriter, UsageObserver, UsageQuery, RegionsQuery] })
export class UsageModule {}

/** The worker's upkeep of usage storage: partitions ahead, retention behind. */
@Module({ providers: [UsagePartitions], exports: [UsagePartitions] })
export class UsageMaintenanceModule {}
