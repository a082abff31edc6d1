import { useQuery } from '@tanstack/react-query';
import { fetchReadiness } from './health.api';

export const healthKeys = {
  all: ['health'] as const,
  readiness: () => [...healthKeys.all, 'readiness'] as const,
};

const READINESS_POLL_MS = 30_000;

export function useReadiness() {
  return useQuery({
    queryKey: healthKeys.readiness(),
    queryFn: ({ signal }) => fetchReadiness(signal),
    refetchInterval: READINESS_POLL_MS,
    staleTime: 0,
  });
}
