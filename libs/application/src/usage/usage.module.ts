import { Module } from '@nestjs/common';
import { UsageEventWriter } from './usage-event-writer';
import { UsageObserver } from './usage-observer';
import { UsagePartitions } from './usage-partitions';
import { UsageQuery } from './usage-query';

/** Usage events: buffered by the api as verifies and service-key requests happen, written in batches; and read back. */
@Module({ providers: [UsageEventWriter, UsageObserver, UsageQuery], exports: [UsageEventWriter, UsageObserver, UsageQuery] })
export class UsageModule {}

/** The worker's upkeep of usage storage: partitions ahead, retention behind. */
@Module({ providers: [UsagePartitions], exports: [UsagePartitions] })
export class UsageMaintenanceModule {}
