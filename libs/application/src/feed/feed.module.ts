import { Module } from '@nestjs/common';
import { UsageModule } from '../usage/usage.module';
import { VerifyModule } from '../verify/verify.module';
import { EventsFeed } from './events-feed';
import { UsageReports } from './usage-reports';

const FEED = [EventsFeed, UsageReports];

/** What services that verify in their own process talk to: the events feed and the usage reports. */
@Module({ imports: [UsageModule, VerifyModule], providers: FEED, exports: FEED })
export class FeedModule {}
