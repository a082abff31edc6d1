import type { UsageEvent } from '../usage/usage-event';
import { UsageEventBatch } from '../usage/usage-event-batch';
import { alertSignalOf, bucketOf, isUsageSpike, mergeAlertSignals } from './alert-signal';

const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);

function usageEventOf(overrides: Partial<UsageEvent>): UsageEvent {
  return {
    tenantId: 'ten_1', occurredAt: new Date(T0), kind: 'verify', tokenId: null, callerId: null, outcome: 'VALID', ipPrefix: null, ipHash: null,
    country: null, claimedCountry: null, region: null, resource: null, transport: 'https', userAgent: null, crossBorder: false, geoFlagged: false,
    ...overrides,
  };
}

describe('the signal of a written batch', () => {
  it('counts an event reported for many cached verifies as all of them', () => {
    const batch = UsageEventBatch.of('ten_1', [
      usageEventOf({ tokenId: 'tok_a', uses: 500 }),
      usageEventOf({ tokenId: 'tok_a', occurredAt: new Date(T0 + 1000), outcome: 'REVOKED', uses: 3 }),
    ]);
    expect(alertSignalOf(batch)!.tokens[0]).toMatchObject({ uses: [[T0 / 1000, 503]], dead: 3 });
  });

  it('sums up per token what the rules count, and per caller and network the failed guesses', () => {
    const batch = UsageEventBatch.of('ten_1', [
      usageEventOf({ tokenId: 'tok_a', occurredAt: new Date(T0), ipHash: 'h1', country: 'DE' }),
      usageEventOf({ tokenId: 'tok_a', occurredAt: new Date(T0 + 12_000), outcome: 'REVOKED', ipHash: 'h2', country: 'US', crossBorder: true }),
      usageEventOf({ tokenId: 'tok_a', occurredAt: new Date(T0 + 13_000), outcome: 'RATE_LIMITED', ipHash: 'h2', transport: 'http' }),
      usageEventOf({ tokenId: null, callerId: 'tok_key', occurredAt: new Date(T0 + 1000), outcome: 'NOT_FOUND', ipPrefix: '198.51.100.0/24' }),
      // A refusal without a token from the API is not a guess at a token.
      usageEventOf({ tokenId: null, kind: 'api', occurredAt: new Date(T0 + 1000), outcome: 'MALFORMED' }),
    ]);
    const signal = alertSignalOf(batch)!;
    expect(signal.tokens).toEqual([
      {
        tokenId: 'tok_a',
        uses: [[T0 / 1000, 1], [T0 / 1000 + 10, 2]],
        firstAt: T0,
        lastAt: T0 + 13_000,
        dead: 1,
        crossBorder: 1,
        plaintext: 1,
        rateLimitedAt: [T0 / 1000 + 13],
        countries: ['DE', 'US'],
        addressHashes: ['h1', 'h2'],
      },
    ]);
    expect(signal.failures.map((f) => [f.subject, f.counts])).toEqual([
      ['caller:tok_key', [[T0 / 1000, 1]]],
      ['network:198.51.100.0/24', [[T0 / 1000, 1]]],
    ]);
  });

  it('is null for a batch no rule reads', () => {
    expect(alertSignalOf(UsageEventBatch.of('ten_1', [usageEventOf({ tokenId: null, kind: 'api', outcome: '200' })]))).toBeNull();
  });

  it('merges signals evaluated together', () => {
    const one = alertSignalOf(UsageEventBatch.of('ten_1', [usageEventOf({ tokenId: 'tok_a', occurredAt: new Date(T0), outcome: 'EXPIRED', ipHash: 'h1' })]))!;
    const two = alertSignalOf(UsageEventBatch.of('ten_1', [usageEventOf({ tokenId: 'tok_a', occurredAt: new Date(T0 + 5), outcome: 'EXPIRED', ipHash: 'h1' })]))!;
    const merged = mergeAlertSignals([one, two]);
    expect(merged.tokens).toHaveLength(1);
    expect(merged.tokens[0]).toMatchObject({ dead: 2, addressHashes: ['h1'], firstAt: T0, lastAt: T0 + 5 });
    expect(bucketOf(T0 + 9_999)).toBe(T0 / 1000);
  });
});

describe('a usage spike', () => {
  it('needs a day of history, at least 100 uses, and more than k times the baseline', () => {
    const day = 86_400;
    expect(isUsageSpike({ uses: 500, factor: 10, windowSeconds: 300, historyUses: 0, historySeconds: day - 1 })).toEqual({ spike: false, baseline: null });
    // 288 uses a day: one per 5 minutes.
    expect(isUsageSpike({ uses: 99, factor: 10, windowSeconds: 300, historyUses: 288, historySeconds: day }).spike).toBe(false);
    expect(isUsageSpike({ uses: 100, factor: 10, windowSeconds: 300, historyUses: 288, historySeconds: day })).toEqual({ spike: true, baseline: 1 });
    expect(isUsageSpike({ uses: 100, factor: 10, windowSeconds: 300, historyUses: 288 * 20, historySeconds: day }).spike).toBe(false);
  });
});
