import type { Schemas } from '@custos/api-client';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../shared/api/client';
import { tokenKeys } from '../../tokens/api/tokens.queries';

export type TokenOverview = Schemas['TokenOverviewResponse'];

/**
 * Under the tokens' keys: any token change invalidates it with the rest. With a service id, the
 * figures of the tokens that service owns (its page).
 */
export function useOverview(ownerServiceId: string | null = null, enabled = true) {
  return useQuery({
    queryKey: tokenKeys.overview(ownerServiceId),
    queryFn: ({ signal }) => unwrap(api.GET('/v1/overview', { params: { query: ownerServiceId === null ? {} : { ownerServiceId } }, signal })),
    enabled,
  });
}
