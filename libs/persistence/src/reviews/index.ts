import { AccessReviewRepository } from './access-review.repository';

export * from './access-review.repository';

export const REVIEWS_REPOSITORIES = [AccessReviewRepository];
