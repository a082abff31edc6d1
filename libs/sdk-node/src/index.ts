export { VerifyCode } from '@custos/contracts';
export type { TokenFeedEvent, TokenFeedKind, VerifyCacheHint } from '@custos/contracts';
export { createClient, type ClientOptions, type CustosRestClient, type components, type operations, type paths } from './client/create-client';
export { parseRetryAfterMs } from './client/retry-policy';
export { createVerifier, type Verifier, type VerifierOptions } from './verifier/create-verifier';
export { CustosRequestError, type FeedState, type VerifierMetrics, type VerifyRequest, type VerifyResult } from './verifier/verify-types';
export { followEvents, type EventFollower, type FeedMessage, type FollowEventsOptions } from './verifier/follow-events';
