import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PolicyModule } from '../policy/policy.module';
import { TokensModule } from '../tokens/tokens.module';
import { AccessReviewsService } from './access-reviews.service';
import { ReviewCampaigns } from './review-campaigns';
import { ReviewDecisions } from './review-decisions';
import { ReviewScheduler } from './review-scheduler';

/** Access review campaigns as the api serves them (its report jobs need REPORT_QUEUE). */
@Module({
  imports: [AuditModule, PolicyModule, TokensModule],
  providers: [ReviewCampaigns, ReviewDecisions, AccessReviewsService],
  exports: [AccessReviewsService],
})
export class AccessReviewsModule {}

/** The worker's schedule of campaigns: opening, reminders, overdue and closing (its reports queued by the job). */
@Module({
  imports: [AuditModule, PolicyModule, TokensModule],
  providers: [ReviewCampaigns, ReviewScheduler],
  exports: [ReviewScheduler],
})
export class ReviewSchedulingModule {}
