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

const RECORDING = [UsageEventWriter, UsageObserver];

/** Usage events: buffered by the api as verifies and service-key requests happen, written in batches. */
@Module({ providers: RECORDING, exports: RECORDING })
export class UsageModule {}

const READING = [UsageQuery, CrossBorderQuery, CrossBorderExport, RegionsQuery];

/** Usage read back: counts, events, a token's summary, cross-border transfers (their export audited), and the region groups they are placed in. */
@Module({ imports: [AuditModule, PolicyModule], providers: READING, exports: READING })
export class UsageReadModule {}

/** The worker's upkeep of usage storage: partitions ahead, retention behind. */
@Module({ providers: [UsagePartitions], exports: [UsagePartitions] })
export class UsageMaintenanceModule {}
