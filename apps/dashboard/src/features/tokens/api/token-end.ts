import type { Token } from './tokens.queries';

/** How a token's life ends, as its status tells it: a revoked token no longer "expires in 30 days". */
export interface TokenEnd {
  label: 'Expires' | 'Grace ends' | 'Revoked' | 'Expired';
  at: string | null;
}

export function tokenEnd(token: Pick<Token, 'status' | 'expiresAt' | 'graceEndsAt' | 'revokedAt'>): TokenEnd {
  switch (token.status) {
    case 'active':
    case 'suspended':
      return { label: 'Expires', at: token.expiresAt };
    case 'rotating':
      return { label: 'Grace ends', at: token.graceEndsAt ?? token.expiresAt };
    case 'revoked':
      return { label: 'Revoked', at: token.revokedAt };
    case 'expired':
      // A rotated token ended with its grace period, if that came before its expiry.
      return { label: 'Expired', at: earliest(token.expiresAt, token.graceEndsAt) };
  }
}

function earliest(a: string, b: string | null): string {
  return b !== null && Date.parse(b) < Date.parse(a) ? b : a;
}
