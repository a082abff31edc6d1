export * from './access-review-views';
export * from './access-reviews.service';
export * from './review-campaigns';
export * from './review-decisions';
export * from './review-scheduler';
export * from './reviews.module';
