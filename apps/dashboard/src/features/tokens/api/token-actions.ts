import type { TokenStatus } from './tokens.queries';

export type TokenAction = 'rotate' | 'suspend' | 'resume' | 'revoke';

/**
 * What the API's lifecycle allows from each status (libs/domain token-lifecycle): the page offers only
 * these, so a button never leads to a 409.
 */
const ALLOWED: Record<TokenStatus, readonly TokenAction[]> = {
  active: ['rotate', 'suspend', 'revoke'],
  suspended: ['resume', 'revoke'],
  rotating: ['revoke'],
  revoked: [],
  expired: [],
};

export function allowedActions(status: TokenStatus): readonly TokenAction[] {
  return ALLOWED[status];
}
