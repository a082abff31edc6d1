import { MutationCache, QueryCache, QueryClient, type QueryKey } from '@tanstack/react-query';
import { ApiError } from '../shared/api/http';

const MAX_RETRIES = 2;

/** A 4xx will not change by asking again; network failures and 5xx get a couple of retries. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < MAX_RETRIES;
}

/** 401s that are about what was typed (a wrong password or second factor), not about the session. */
const WRONG_CREDENTIALS = new Set(['INVALID_CREDENTIALS', 'INVALID_MFA']);

/** True when an answer says the session is gone (expired, logged out elsewhere, revoked). */
function isSessionLost(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && !WRONG_CREDENTIALS.has(error.problem.code ?? '');
}

export interface QueryClientHooks {
  /** Called once per request that found the session gone; the session query itself is exempt. */
  onSessionLost?: (queryKey: QueryKey | undefined) => void;
}

export function createQueryClient(hooks: QueryClientHooks = {}): QueryClient {
  const sessionLost = (error: unknown, queryKey?: QueryKey) => {
    if (isSessionLost(error)) hooks.onSessionLost?.(queryKey);
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => sessionLost(error, query.queryKey) }),
    mutationCache: new MutationCache({ onError: (error) => sessionLost(error) }),
    defaultOptions: {
      queries: { staleTime: 30_000, retry: shouldRetry },
      mutations: { retry: false },
    },
  });
}
