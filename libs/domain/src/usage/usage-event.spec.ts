import { USAGE_RESOURCE_MAX, USAGE_USER_AGENT_MAX, boundedUsageEvent, type UsageEvent } from './usage-event';
import { UsageEventBatch } from './usage-event-batch';

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

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute));
const use = (overrides: Partial<UsageEvent> = {}): UsageEvent => ({ ...event, occurredAt: at(0), ...overrides });

describe('UsageEventBatch (buffered events as columns)', () => {
  it('holds each event as one value per column, in the order recorded, its time in epoch milliseconds', () => {
    const batch = UsageEventBatch.of('ten_a', [use(), use({ occurredAt: at(1), outcome: 'NOT_FOUND', tokenId: null, crossBorder: true })]);
    expect(batch.length).toBe(2);
    expect(batch.columns.occurredAt).toEqual([at(0).getTime(), at(1).getTime()]);
    expect(batch.columns.outcome).toEqual(['VALID', 'NOT_FOUND']);
    expect(batch.columns.tokenId).toEqual(['tok_a', null]);
    expect(batch.columns.crossBorder).toEqual([false, true]);
  });

  it('keeps an event as it is kept anywhere: long text cut, a claimed country upper-cased or dropped', () => {
    const batch = UsageEventBatch.of('ten_a', [use({ userAgent: 'a'.repeat(10_000), claimedCountry: 'de' }), use({ claimedCountry: 'Germany' })]);
    expect(batch.columns.userAgent[0]).toHaveLength(USAGE_USER_AGENT_MAX);
    expect(batch.columns.claimedCountry).toEqual(['DE', null]);
  });

  it('refuses an event of another tenant, and joining batches of two tenants', () => {
    const batch = UsageEventBatch.empty('ten_a');
    expect(() => batch.push(use({ tenantId: 'ten_b' }))).toThrow(/ten_b/);
    expect(batch.length).toBe(0);
    expect(() => batch.concat(UsageEventBatch.empty('ten_b'))).toThrow();
  });

  it('slices and joins every column alike, leaving the original as it was', () => {
    const batch = UsageEventBatch.of('ten_a', [0, 1, 2, 3].map((m) => use({ occurredAt: at(m), resource: `/r${m}` })));
    const [first, rest] = [batch.slice(0, 1), batch.slice(1)];
    expect(first.columns.resource).toEqual(['/r0']);
    expect(rest.columns.resource).toEqual(['/r1', '/r2', '/r3']);
    const joined = rest.concat(first);
    expect(joined.columns.resource).toEqual(['/r1', '/r2', '/r3', '/r0']);
    expect(joined.columns.occurredAt).toEqual([1, 2, 3, 0].map((m) => at(m).getTime()));
    expect(batch.length).toBe(4);
  });

  it('tells its oldest and newest event, whatever their order', () => {
    const batch = UsageEventBatch.of('ten_a', [use({ occurredAt: at(5) }), use({ occurredAt: at(2) }), use({ occurredAt: at(9) })]);
    expect([batch.oldest(), batch.newest()]).toEqual([at(2).getTime(), at(9).getTime()]);
    expect([UsageEventBatch.empty('ten_a').oldest(), UsageEventBatch.empty('ten_a').newest()]).toEqual([Infinity, -Infinity]);
  });
});
