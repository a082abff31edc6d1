import type { Schemas } from '@custos/api-client';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../shared/api/client';
import { tokenKeys } from '../../tokens/api/tokens.queries';

export type TokenOverview = Schemas['TokenOverviewResponse'];

/** Under the tokens' keys: any token change invalidates it with the rest. */
export function useOverview() {
  return useQuery({
    queryKey: tokenKeys.overview(),
    queryFn: ({ signal }) => unwrap(api.GET('/v1/overview', { signal })),
  });
}
