import { Injectable } from '@nestjs/common';
import { ReviewScheduler } from '@custos/application';
import type { JobHandler } from './job-handler';

/** Opens scheduled access reviews, reminds reviewers, and at due dates applies onOverdue and closes the campaign. */
@Injectable()
export class AccessReviewsHandler implements JobHandler<'reviews.run'> {
  readonly jobName = 'reviews.run' as const;

  constructor(private readonly scheduler: ReviewScheduler) {}

  async handle(): Promise<{ opened: number; reminded: number; closed: number }> {
    return { ...(await this.scheduler.run()) };
  }
}
