import { describe, expect, it } from '@jest/globals';
import { ApiError, NETWORK_ERROR_STATUS } from '../shared/api/http';
import { shouldRetry } from './query-client';

const apiError = (status: number) => new ApiError({ type: 'about:blank', title: 'x', status });

describe('shouldRetry', () => {
  it('never retries a client error', () => {
    expect(shouldRetry(0, apiError(401))).toBe(false);
    expect(shouldRetry(0, apiError(422))).toBe(false);
  });

  it('retries network failures and server errors twice', () => {
    expect(shouldRetry(0, apiError(NETWORK_ERROR_STATUS))).toBe(true);
    expect(shouldRetry(1, apiError(503))).toBe(true);
    expect(shouldRetry(2, apiError(503))).toBe(false);
    expect(shouldRetry(0, new Error('boom'))).toBe(true);
  });
});
