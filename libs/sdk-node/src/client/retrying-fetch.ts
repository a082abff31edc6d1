import { DEFAULT_RETRY_POLICY, RETRYABLE_STATUSES, retryDelayMs, type RetryPolicy } from './retry-policy';

export type FetchRequest = (request: Request) => Promise<Response>;

/**
 * Wraps a fetch so that a 429 or 503 answer is retried after the wait the server asked for. The request is
 * cloned before each attempt: a body can be read only once.
 */
export function retryingFetch(send: FetchRequest, policy: RetryPolicy = DEFAULT_RETRY_POLICY): FetchRequest {
  return async (request) => {
    for (let retry = 0; ; retry++) {
      const response = await send(request.clone());
      if (!RETRYABLE_STATUSES.has(response.status) || retry + 1 >= policy.attempts) return response;
      const delay = retryDelayMs(response.headers.get('retry-after'), retry, policy);
      // The refused answer's body is not read: free its connection now rather than at garbage collection.
      await response.body?.cancel().catch(() => undefined);
      await sleep(delay, request.signal);
    }
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
