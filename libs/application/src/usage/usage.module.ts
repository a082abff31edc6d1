import { Module } from '@nestjs/common';
import { UsageEventWriter } from './usage-event-writer';
import { UsageObserver } from './usage-observer';
import { UsagePartitions } from './usage-partitions';

/** Usage events: buffered by the api as verifies and service-key requests happen, written in batches. */
@Module({ providers: [UsageEventWriter, UsageObserver], exports: [UsageEventWriter, UsageObserver] })
export class UsageModule {}

/** The worker's upkeep of usage storage: partitions ahead, retention behind. */
@Module({ providers: [UsagePartitions], exports: [UsagePartitions] })
export class UsageMaintenanceModule {}
