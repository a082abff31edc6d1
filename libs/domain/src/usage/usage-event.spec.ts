import { USAGE_RESOURCE_MAX, USAGE_USER_AGENT_MAX, boundedUsageEvent, type UsageEvent } from './usage-event';

const event: UsageEvent = {
  tenantId: 'ten_a',
  occurredAt: new Date('2026-12-01T10:00:00Z'),
  kind: 'verify',
  tokenId: 'tok_a',
  callerId: 'tok_caller',
  outcome: 'VALID',
  ipPrefix: '203.0.113.0/24',
  ipHash: 'h',
  country: 'DE',
  claimedCountry: null,
  region: 'EU',
  resource: '/orders',
  transport: 'https',
  userAgent: 'curl/8.5',
  crossBorder: false,
  geoFlagged: false,
};

describe('boundedUsageEvent', () => {
  it('keeps an event within bounds as it is', () => {
    expect(boundedUsageEvent(event)).toBe(event);
  });

  it('cuts a long user agent and resource to the lengths kept, leaving the rest', () => {
    const bounded = boundedUsageEvent({ ...event, userAgent: 'a'.repeat(10_000), resource: 'r'.repeat(USAGE_RESOURCE_MAX + 1) });
    expect(bounded).toEqual({ ...event, userAgent: 'a'.repeat(USAGE_USER_AGENT_MAX), resource: 'r'.repeat(USAGE_RESOURCE_MAX) });
  });

  it('keeps a claimed country as an upper-case code, and drops one that is no code', () => {
    expect(boundedUsageEvent({ ...event, claimedCountry: 'de' }).claimedCountry).toBe('DE');
    expect(boundedUsageEvent({ ...event, claimedCountry: 'Germany' }).claimedCountry).toBeNull();
    expect(boundedUsageEvent({ ...event, claimedCountry: 'D1' }).claimedCountry).toBeNull();
  });

  it('never splits a character made of two UTF-16 units', () => {
    const userAgent = `${'a'.repeat(USAGE_USER_AGENT_MAX - 1)}😀tail`;
    const bounded = boundedUsageEvent({ ...event, userAgent });
    expect(bounded.userAgent).toBe('a'.repeat(USAGE_USER_AGENT_MAX - 1));
    expect(boundedUsageEvent({ ...event, userAgent: `😀${'b'.repeat(USAGE_USER_AGENT_MAX)}` }).userAgent).toHaveLength(USAGE_USER_AGENT_MAX);
  });
});
