import { describe, expect, it, jest } from '@jest/globals';
import { ApiError, NETWORK_ERROR_STATUS } from '../shared/api/http';
import { createQueryClient, shouldRetry } from './query-client';

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

describe('createQueryClient', () => {
  it('reports a lost session (401) from queries and mutations, and nothing else', async () => {
    const onSessionLost = jest.fn();
    const client = createQueryClient({ onSessionLost });
    await client.fetchQuery({ queryKey: ['tokens'], queryFn: () => Promise.reject(apiError(401)) }).catch(() => undefined);
    await client.fetchQuery({ queryKey: ['other'], queryFn: () => Promise.reject(apiError(403)) }).catch(() => undefined);
    await client
      .getMutationCache()
      .build(client, { mutationFn: () => Promise.reject(apiError(401)) })
      .execute(undefined)
      .catch(() => undefined);
    expect(onSessionLost).toHaveBeenCalledTimes(2);
    expect(onSessionLost).toHaveBeenNthCalledWith(1, ['tokens']);
  });
});
