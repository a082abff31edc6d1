import { ErrorCode, TOKEN_STATUSES } from '@custos/contracts';
import { DomainError } from '../errors/domain-error';
import { canTransition, effectiveExpiry, nextStatus } from './token-lifecycle';

describe('token lifecycle', () => {
  it.each([
    ['active', 'suspend', 'suspended'],
    ['suspended', 'resume', 'active'],
    ['active', 'rotate', 'rotating'],
    ['rotating', 'complete_rotation', 'expired'],
    ['active', 'revoke', 'revoked'],
    ['suspended', 'revoke', 'revoked'],
    ['rotating', 'revoke', 'revoked'],
    ['active', 'expire', 'expired'],
  ] as const)('%s --%s--> %s', (from, action, to) => {
    expect(nextStatus(from, action)).toBe(to);
  });

  it('keeps revoked and expired final', () => {
    for (const status of ['revoked', 'expired'] as const) {
      for (const action of ['suspend', 'resume', 'rotate', 'revoke', 'expire'] as const) {
        expect(canTransition(status, action)).toBe(false);
      }
    }
  });

  it('refuses a wrong transition with INVALID_TRANSITION', () => {
    expect(() => nextStatus('active', 'resume')).toThrow(DomainError);
    try {
      nextStatus('rotating', 'rotate');
    } catch (error) {
      expect((error as DomainError).code).toBe(ErrorCode.INVALID_TRANSITION);
    }
    expect(TOKEN_STATUSES.filter((s) => canTransition(s, 'rotate'))).toEqual(['active']);
  });

  it('ends a rotating token at its grace end, never after its own expiry', () => {
    const expiresAt = new Date('2030-01-01T00:00:00Z');
    expect(effectiveExpiry({ expiresAt, graceEndsAt: new Date('2029-12-31T00:00:00Z') })).toEqual(
      new Date('2029-12-31T00:00:00Z'),
    );
    expect(effectiveExpiry({ expiresAt, graceEndsAt: new Date('2031-01-01T00:00:00Z') })).toEqual(expiresAt);
    expect(effectiveExpiry({ expiresAt, graceEndsAt: null })).toEqual(expiresAt);
  });
});
