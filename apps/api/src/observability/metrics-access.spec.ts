import { ErrorCode } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import { checkMetricsAccess } from './metrics-access';

const TOKEN = 'metrics-token-0123456789-abcdefghijklmnop';

function refusal(authorization: string | undefined): unknown {
  try {
    checkMetricsAccess(authorization, TOKEN);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('checkMetricsAccess', () => {
  it('lets everyone scrape when no token is configured', () => {
    expect(() => checkMetricsAccess(undefined, undefined)).not.toThrow();
    expect(() => checkMetricsAccess('Bearer anything', undefined)).not.toThrow();
  });

  it('lets the configured bearer token through, whatever the scheme\'s case', () => {
    expect(refusal(`Bearer ${TOKEN}`)).toBeUndefined();
    expect(refusal(`bearer ${TOKEN}`)).toBeUndefined();
  });

  it.each([
    ['no header', undefined],
    ['another scheme', `Basic ${TOKEN}`],
    ['the bare token', TOKEN],
    ['a wrong token', 'Bearer metrics-token-0123456789-abcdefghijklmnoX'],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, 10)}`],
    ['the token with more after it', `Bearer ${TOKEN}x`],
    ['two tokens', `Bearer ${TOKEN} ${TOKEN}`],
  ])('refuses %s as unauthenticated', (_label, header) => {
    const error = refusal(header);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.UNAUTHENTICATED);
  });
});
