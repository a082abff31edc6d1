import type { Region, TokenUsage, UsageEvent } from '../features/usage/api/usage.queries';

/** Some of GET /v1/regions, in its order. */
export const REGIONS: Region[] = [
  { code: 'EU', name: 'European Union', countries: ['AT', 'DE', 'FR', 'IE'], builtIn: true },
  { code: 'UK', name: 'United Kingdom', countries: ['GB'], builtIn: true },
  { code: 'US', name: 'United States', countries: ['US'], builtIn: true },
  { code: 'EFTA', name: 'European Free Trade Association', countries: ['CH', 'IS', 'LI', 'NO'], builtIn: true },
];

/** A use as GET /v1/usage/events sends it: VALID from Germany, unless the test says otherwise. */
export function usageEventFixture(id: string, over: Partial<UsageEvent> = {}): UsageEvent {
  return {
    id,
    occurredAt: '2026-11-23T10:00:00.000Z',
    kind: 'verify',
    tokenId: 'tok_1',
    callerId: 'tok_key',
    outcome: 'VALID',
    ipPrefix: '193.99.144.0/24',
    country: 'DE',
    claimedCountry: null,
    region: 'EU',
    resource: null,
    transport: 'https',
    userAgent: 'orders/1.0',
    crossBorder: false,
    geoFlagged: false,
    uses: 1,
    ...over,
  };
}

/** One page of events as the infinite query caches it. */
export function eventPages(items: UsageEvent[], nextCursor: string | null = null) {
  return { pages: [{ items, nextCursor }], pageParams: [undefined] };
}

export function tokenUsageFixture(tokenId: string, over: Partial<TokenUsage> = {}): TokenUsage {
  return {
    tokenId,
    lastUsedAt: null,
    lastUsedCountry: null,
    lastUsedIpPrefix: null,
    distinctAddresses30d: 0,
    countries: [],
    byOutcome30d: {},
    crossBorderCount30d: 0,
    scopesUsed90d: [],
    scopesUnused90d: [],
    ...over,
  };
}
