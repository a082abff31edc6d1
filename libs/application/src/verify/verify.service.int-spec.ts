import { VerifyCode } from '@custos/contracts';
import { AddressHasher, SecretMatcher, TokenHasher } from '@custos/crypto';
import { CountryLookup, type ClientAddress } from '@custos/domain';
import { TokenSnapshotRepository, TokenUsageRepository, UsageEventRepository, AlertSignalRepository } from '@custos/persistence';
import {
  createTenant,
  insertConsentRow,
  insertTokenRow,
  setTenantPolicy,
  setTokenStatus,
  tokenRowsOf,
  usageEventRowsOf,
  useMediumDatabase,
  type TokenRowSpec,
} from '@custos/fixtures';
import type { Principal } from '../auth/principal';
import type { ApplicationSettings } from '../shared/settings';
import { TokenCache } from './token-cache';
import { TokenSnapshots } from './token-snapshots';
import { UsageRecorder } from './usage-recorder';
import { UsageEventWriter } from '../usage/usage-event-writer';
import { UsageObserver, type RequestOrigin } from '../usage/usage-observer';
import { VerifyService, type VerifyInput } from './verify.service';
import { WindowedRateLimiter } from './windowed-rate-limiter';
import { inProcessLimiter } from '../shared/limiters';

const settings: ApplicationSettings = { verifyCacheTtlMs: 30_000, sessionTtlSeconds: 60, usageFlushIntervalMs: 60_000, loginMinResponseMs: 0 };
const hasher = new TokenHasher({ id: 'p_medium', secret: 'a pepper for the medium tests of verify' });

/** Two public addresses with known countries; the runtime's CountryLocator reads them from the bundled database. */
class KnownCountries extends CountryLookup {
  countryOfClient(client: ClientAddress): string | null {
    return ({ '85.214.132.117': 'DE', '8.8.8.8': 'US' } as Record<string, string>)[client.address] ?? null;
  }
}

const ORIGIN: RequestOrigin = { ip: '8.8.8.8', transport: 'https', userAgent: 'orders-service/1.2' };

/** A tenant's service asking whether tokens presented to it are good. */
const verifier = (tenantId: string): Principal => ({
  tenantId, kind: 'service_key', id: 'tok_verifier', email: null, name: null, scopes: ['custos:tokens:verify'], role: null, ownerServiceId: null, sessionId: null,
});

describe('VerifyService (real database)', () => {
  const db = useMediumDatabase();
  let tenantId: string;
  let cache: TokenCache;
  let usage: UsageRecorder;
  let events: UsageEventWriter;
  let observer: UsageObserver;
  let service: VerifyService;
  let rateLimiter: WindowedRateLimiter;

  beforeAll(async () => {
    tenantId = await createTenant(db, 'verify');
  });
  beforeEach(() => {
    cache = new TokenCache(settings);
    rateLimiter = new WindowedRateLimiter(inProcessLimiter, 'verify-spec');
    usage = new UsageRecorder(db, settings, new TokenUsageRepository());
    events = new UsageEventWriter(db, { flushIntervalMs: 60_000, bufferMax: 10_000, batchMax: 5000 }, new UsageEventRepository(), new AlertSignalRepository());
    observer = new UsageObserver(events, new KnownCountries(), new AddressHasher(hasher));
    service = new VerifyService(new TokenSnapshots(db, cache, new TokenSnapshotRepository()), new SecretMatcher(hasher), usage, observer, rateLimiter);
  });

  const verifyWith = (s: VerifyService, principal: Principal, input: VerifyInput) => s.verify(principal, input, ORIGIN);

  const token = (spec: TokenRowSpec = {}) => insertTokenRow(db, tenantId, { hasher, ...spec });

  it('answers VALID for a live token of the caller’s tenant, with what the token allows', async () => {
    const { id, raw } = await token({ scopes: ['orders:read', 'orders:write'] });
    const result = await verifyWith(service, verifier(tenantId), { token: raw, scopes: ['orders:read'] });
    expect(result).toMatchObject({ valid: true, code: VerifyCode.VALID, tokenId: id, scopes: ['orders:read', 'orders:write'], remainingUses: null });
    expect(Date.parse(result.expiresAt!)).toBeGreaterThan(Date.now());
  });

  it.each<[string, TokenRowSpec, VerifyCode]>([
    ['past its expiry', { expiresIn: '-1 minute' }, VerifyCode.EXPIRED],
    ['expired by the sweep', { status: 'expired' }, VerifyCode.EXPIRED],
    ['revoked', { status: 'revoked', revokedAgo: '1 minute' }, VerifyCode.REVOKED],
    ['suspended', { status: 'suspended' }, VerifyCode.SUSPENDED],
    ['rotating, its grace period over', { status: 'rotating', graceEndsIn: '-1 second' }, VerifyCode.EXPIRED],
    ['not valid yet', { notBeforeIn: '1 hour' }, VerifyCode.NOT_YET_VALID],
  ])('refuses a token %s', async (_, spec, code) => {
    const { raw } = await token(spec);
    expect(await verifyWith(service, verifier(tenantId), { token: raw })).toMatchObject({ valid: false, code });
  });

  it('refuses a scope the token does not hold', async () => {
    const { raw } = await token({ scopes: ['orders:read'] });
    expect(await verifyWith(service, verifier(tenantId), { token: raw, scopes: ['orders:read', 'orders:write'] })).toMatchObject({
      valid: false, code: VerifyCode.INSUFFICIENT_SCOPE,
    });
  });

  it('refuses an address outside the allow-list, and accepts one inside it', async () => {
    const { raw } = await token({ allowedCidrs: ['10.0.0.0/8'] });
    expect((await verifyWith(service, verifier(tenantId), { token: raw, context: { ip: '192.0.2.10' } })).code).toBe(VerifyCode.IP_BLOCKED);
    expect((await verifyWith(service, verifier(tenantId), { token: raw, context: { ip: '10.20.30.40' } })).code).toBe(VerifyCode.VALID);
  });

  it('refuses a token whose consent was withdrawn, or which lacks the consent its tenant requires', async () => {
    const consentTenant = await createTenant(db, 'verify consents');
    await setTenantPolicy(db, consentTenant, { requireConsentFor: ['health'] });
    const withdrawn = await insertConsentRow(db, consentTenant, { withdrawn: true, dataCategories: ['health'] });
    const bound = await insertTokenRow(db, consentTenant, { hasher, consentId: withdrawn, dataCategories: ['health'] });
    const unbound = await insertTokenRow(db, consentTenant, { hasher, dataCategories: ['health'] });
    const unrelated = await insertTokenRow(db, consentTenant, { hasher, dataCategories: ['billing'] });
    const codes = [];
    for (const t of [bound, unbound, unrelated]) codes.push((await verifyWith(service, verifier(consentTenant), { token: t.raw })).code);
    expect(codes).toEqual([VerifyCode.CONSENT_WITHDRAWN, VerifyCode.CONSENT_REQUIRED, VerifyCode.VALID]);
  });

  it('answers NOT_FOUND for another tenant’s token and MALFORMED for what is no token', async () => {
    const other = await insertTokenRow(db, await createTenant(db, 'verify other'), { hasher });
    expect(await verifyWith(service, verifier(tenantId), { token: other.raw })).toEqual({ valid: false, code: VerifyCode.NOT_FOUND });
    expect(await verifyWith(service, verifier(tenantId), { token: 'cus_live_nonsense' })).toEqual({ valid: false, code: VerifyCode.MALFORMED });
  });

  it('sees a change another instance made once the cache drops the token', async () => {
    const { id, raw, lookupId } = await token();
    expect((await verifyWith(service, verifier(tenantId), { token: raw })).code).toBe(VerifyCode.VALID);
    await setTokenStatus(db, tenantId, id, 'revoked');
    await cache.invalidate([lookupId], { broadcast: false });
    expect((await verifyWith(service, verifier(tenantId), { token: raw })).code).toBe(VerifyCode.REVOKED);
  });

  it('consumes one use per VALID verify, none for a refused one, and then refuses with USAGE_EXCEEDED', async () => {
    const { id, raw } = await token({ maxUses: 2, scopes: ['orders:read'] });
    const answers = [];
    answers.push(await verifyWith(service, verifier(tenantId), { token: raw, scopes: ['orders:write'] }));
    answers.push(await verifyWith(service, verifier(tenantId), { token: raw }));
    answers.push(await verifyWith(service, verifier(tenantId), { token: raw }));
    answers.push(await verifyWith(service, verifier(tenantId), { token: raw }));
    expect(answers.map((a) => [a.code, a.remainingUses])).toEqual([
      [VerifyCode.INSUFFICIENT_SCOPE, 2],
      [VerifyCode.VALID, 1],
      [VerifyCode.VALID, 0],
      [VerifyCode.USAGE_EXCEEDED, 0],
    ]);
    expect((await tokenRowsOf(db, tenantId)).get(id)?.remainingUses).toBe(0);
  });

  it('never grants more uses than the budget, nor goes below zero, however many verify at once', async () => {
    const { id, raw } = await token({ maxUses: 5 });
    // Two instances with caches of their own, as two api processes would be.
    const other = new VerifyService(new TokenSnapshots(db, new TokenCache(settings), new TokenSnapshotRepository()), new SecretMatcher(hasher), usage, observer, rateLimiter);
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) => verifyWith(i % 2 ? service : other, verifier(tenantId), { token: raw })),
    );
    const codes = answers.map((a) => a.code);
    expect(codes.filter((c) => c === VerifyCode.VALID)).toHaveLength(5);
    expect(codes.filter((c) => c === VerifyCode.USAGE_EXCEEDED)).toHaveLength(19);
    expect((await tokenRowsOf(db, tenantId)).get(id)?.remainingUses).toBe(0);
  });

  it('records a use for each VALID verify only, written at the next flush', async () => {
    const { id, raw } = await token({ scopes: ['orders:read'] });
    await verifyWith(service, verifier(tenantId), { token: raw, context: { ip: '198.51.100.23' } });
    await verifyWith(service, verifier(tenantId), { token: raw, scopes: ['orders:write'] });
    await verifyWith(service, verifier(tenantId), { token: raw });
    expect((await tokenRowsOf(db, tenantId)).get(id)?.useCount).toBe(0);
    await usage.flush();
    expect((await tokenRowsOf(db, tenantId)).get(id)).toMatchObject({ useCount: 2, lastUsedIp: '198.51.100.0/24' });
  });

  it('authenticates a service key of any tenant by its custos scope, and nothing else', async () => {
    const key = await token({ scopes: ['custos:tokens:verify'] });
    const plain = await token({ scopes: ['orders:read'] });
    const suspended = await token({ scopes: ['custos:tokens:verify'], status: 'suspended' });
    expect(await service.authenticateServiceKey(key.raw, undefined)).toMatchObject({ tenantId, kind: 'service_key', id: key.id });
    expect(await service.authenticateServiceKey(plain.raw, undefined)).toBeNull();
    expect(await service.authenticateServiceKey(suspended.raw, undefined)).toBeNull();
  });

  it('needs the verify permission', async () => {
    const { raw } = await token();
    await expect(verifyWith(service, { ...verifier(tenantId), scopes: ['custos:tokens:read'] }, { token: raw })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  describe('rate limits', () => {
    it('answers RATE_LIMITED past the limit with when to retry, and VALID answers say where the token stands', async () => {
      const { raw } = await token({ rateLimit: { limit: 3, windowSeconds: 60 } });
      const answers = [];
      for (let i = 0; i < 5; i++) answers.push(await verifyWith(service, verifier(tenantId), { token: raw }));

      expect(answers.map((a) => a.code)).toEqual(['VALID', 'VALID', 'VALID', 'RATE_LIMITED', 'RATE_LIMITED']);
      expect(answers.map((a) => a.rateLimit?.remaining)).toEqual([2, 1, 0, undefined, undefined]);
      expect(answers[0]!.rateLimit).toMatchObject({ limit: 3, resetAt: expect.any(String) });
      expect(Date.parse(answers[0]!.rateLimit!.resetAt) - Date.now()).toBeGreaterThan(50_000);
      expect(answers[3]!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(answers[3]!.retryAfterSeconds).toBeLessThanOrEqual(60);
    });

    it('spends no rate and no use on a refused check, and consumes no use when rate-limited', async () => {
      const { id, raw } = await token({ rateLimit: { limit: 1, windowSeconds: 60 }, maxUses: 5, scopes: ['orders:read'] });
      expect((await verifyWith(service, verifier(tenantId), { token: raw, scopes: ['orders:write'] })).code).toBe(VerifyCode.INSUFFICIENT_SCOPE);
      expect((await verifyWith(service, verifier(tenantId), { token: raw })).code).toBe(VerifyCode.VALID);
      expect((await verifyWith(service, verifier(tenantId), { token: raw })).code).toBe(VerifyCode.RATE_LIMITED);
      expect((await tokenRowsOf(db, tenantId)).get(id)?.remainingUses).toBe(4);
    });

    it('leaves tokens without a limit unlimited, with no rateLimit in their answers', async () => {
      const { raw } = await token();
      const answers = await Promise.all(Array.from({ length: 20 }, () => verifyWith(service, verifier(tenantId), { token: raw })));
      expect(answers.every((a) => a.code === VerifyCode.VALID && a.rateLimit === undefined)).toBe(true);
    });
  });

  describe("the tenant's geo rules", () => {
    let geoTenant: string;
    beforeAll(async () => {
      geoTenant = await createTenant(db, 'verify-geo');
      await setTenantPolicy(db, geoTenant, { geoRules: [{ dataCategories: ['health'], mode: 'enforce', allowedRegions: ['EU'], allowedCountries: [] }] });
    });

    it('refuses a use of a health-data token from outside the EU, though the token itself has no geofence', async () => {
      const health = await insertTokenRow(db, geoTenant, { hasher, dataCategories: ['health'] });
      const orders = await insertTokenRow(db, geoTenant, { hasher, dataCategories: ['orders'] });
      const from = (ip: string) => ({ context: { ip } });
      expect((await verifyWith(service, verifier(geoTenant), { token: health.raw, ...from('8.8.8.8') })).code).toBe(VerifyCode.GEO_BLOCKED);
      expect((await verifyWith(service, verifier(geoTenant), { token: health.raw, ...from('85.214.132.117') })).code).toBe(VerifyCode.VALID);
      expect((await verifyWith(service, verifier(geoTenant), { token: orders.raw, ...from('8.8.8.8') })).code).toBe(VerifyCode.VALID);
    });

    it('records where a VALID use came from on the token: its country, every country seen, its last cross-border use', async () => {
      const { id, raw } = await insertTokenRow(db, geoTenant, { hasher, geo: { mode: 'monitor', residencyRegion: 'EU', allowedRegions: ['EU'] } });
      await verifyWith(service, verifier(geoTenant), { token: raw, context: { ip: '85.214.132.117' } });
      await verifyWith(service, verifier(geoTenant), { token: raw, context: { ip: '8.8.8.8' } });
      await usage.flush();
      expect((await tokenRowsOf(db, geoTenant)).get(id)).toMatchObject({ lastUsedCountry: 'US', countriesSeen: ['DE', 'US'], lastCrossBorderAt: expect.any(Date) });
    });
  });

  describe('usage events', () => {
    it('records every answer as a usage event of the calling service key: the network, a keyed hash and the observed country, never the address', async () => {
      const { id, raw } = await token({ scopes: ['orders:read'] });
      await verifyWith(service, verifier(tenantId), { token: raw, scopes: ['orders:read'], context: { ip: '85.214.132.117', country: 'fr', resource: '/orders/42' } });
      await verifyWith(service, verifier(tenantId), { token: raw });
      await verifyWith(service, verifier(tenantId), { token: 'cus_live_not-a-token' });
      await verifyWith(service, verifier(tenantId), { token: raw, scopes: ['orders:write'], context: { ip: '2001:db8:1234:5678::9' } });
      await events.flush();

      const rows = await usageEventRowsOf(db, tenantId);
      const common = { kind: 'verify', callerId: 'tok_verifier', transport: 'https', userAgent: 'orders-service/1.2', crossBorder: false };
      expect(rows).toEqual([
        { ...common, tokenId: id, outcome: 'VALID', ipPrefix: '85.214.132.0/24', ipHash: expect.any(String), country: 'DE', claimedCountry: 'FR', region: 'EU', resource: '/orders/42' },
        // No context.ip: the caller's own address.
        { ...common, tokenId: id, outcome: 'VALID', ipPrefix: '8.8.8.0/24', ipHash: expect.any(String), country: 'US', claimedCountry: null, region: 'US', resource: null },
        { ...common, tokenId: null, outcome: 'MALFORMED', ipPrefix: '8.8.8.0/24', ipHash: expect.any(String), country: 'US', claimedCountry: null, region: 'US', resource: null },
        // Documentation addresses are not public: no country.
        { ...common, tokenId: id, outcome: 'INSUFFICIENT_SCOPE', ipPrefix: '2001:db8:1234::/48', ipHash: expect.any(String), country: null, claimedCountry: null, region: null, resource: null },
      ]);
      expect(rows[1]!.ipHash).toBe(rows[2]!.ipHash);
      expect(rows[0]!.ipHash).not.toBe(rows[1]!.ipHash);
      expect(JSON.stringify(rows)).not.toMatch(/85\.214\.132\.117|8\.8\.8\.8|5678/);
    });

    it('looks a recurring client up once, yet hashes its address apart in each tenant', async () => {
      const lookups: string[] = [];
      const counting = new (class extends KnownCountries {
        override countryOfClient(client: ClientAddress): string | null {
          lookups.push(client.address);
          return super.countryOfClient(client);
        }
      })();
      const writer = new UsageEventWriter(db, { flushIntervalMs: 60_000, bufferMax: 10_000, batchMax: 5000 }, new UsageEventRepository(), new AlertSignalRepository());
      const located = new UsageObserver(writer, counting, new AddressHasher(hasher));
      const other = await createTenant(db, 'verify-other-tenant');
      const [first, again, elsewhere] = [located.locate(tenantId, '85.214.132.117'), located.locate(tenantId, '85.214.132.117'), located.locate(other, '85.214.132.117')];
      expect(lookups).toEqual(['85.214.132.117', '85.214.132.117']);
      expect(again).toBe(first);
      expect(first).toMatchObject({ network: '85.214.132.0/24', country: 'DE', region: 'EU' });
      expect(elsewhere.addressHash).not.toBe(first.addressHash);
    });
  });
});
