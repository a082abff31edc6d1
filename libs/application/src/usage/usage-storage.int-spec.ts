import type { UsageEvent } from '@custos/domain';
import { UsageEventRepository, UsageQueryRepository, type StoredUsageEvent } from '@custos/persistence';
import { createService, createTenant, insertTokenRow, usageEvent, usageEventCount, useMediumDatabase } from '@custos/fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Usage storage as the api and its charts use it (the repositories on the real database): a batch and
 * its hourly rollups in one statement, counts read from the rollups, keyset pages of raw events, a
 * token's summary, and each tenant seeing only its own usage.
 */
describe('usage storage (real database)', () => {
  const db = useMediumDatabase();
  const writes = new UsageEventRepository();
  const reads = new UsageQueryRepository();
  // Whole hours before now, inside the partitions the migration made (yesterday onwards).
  const thisHour = Math.floor(Date.now() / HOUR) * HOUR;
  const at = (hoursAgo: number, minute = 0) => new Date(thisHour - hoursAgo * HOUR + minute * 60_000);
  const isoHour = (hoursAgo: number) => new Date(thisHour - hoursAgo * HOUR).toISOString().replace('.000Z', 'Z');
  const period = { from: at(12), to: new Date(thisHour + HOUR) };

  const insert = (tenantId: string, events: UsageEvent[]) => db.tenant(tenantId, (tx) => writes.insertBatch(tx, events));
  const times = (n: number, event: UsageEvent) => Array.from({ length: n }, () => ({ ...event }));

  beforeAll(async () => {
    await db.system((tx) => writes.ensurePartitions(tx, new Date(Date.now() - 41 * DAY), new Date()));
  });

  describe('a batch and its rollups', () => {
    let tenantId: string;
    let token: string;
    let other: string;

    beforeAll(async () => {
      tenantId = await createTenant(db, 'usage storage');
      token = (await insertTokenRow(db, tenantId)).id;
      other = (await insertTokenRow(db, tenantId)).id;
      const e = (hoursAgo: number, overrides: Partial<UsageEvent>) => usageEvent(tenantId, { tokenId: token, occurredAt: at(hoursAgo, 10), ...overrides });
      await insert(tenantId, [
        ...times(3, e(2, {})),
        e(2, { outcome: 'REVOKED' }),
        ...times(2, e(2, { country: 'US', region: 'US', crossBorder: true })),
        e(1, { country: 'FR', occurredAt: at(1, 59) }),
        e(1, { tokenId: null, outcome: 'NOT_FOUND', country: null, region: null }),
        e(1, { tokenId: other, kind: 'api', outcome: '2xx' }),
      ]);
      // A second batch adds to the rollups of the first.
      await insert(tenantId, times(2, e(2, { occurredAt: at(2, 30) })));
    });

    it('stores every event of the batch', async () => {
      expect(await usageEventCount(db, tenantId)).toBe(11);
    });

    it('counts by hour and outcome from the rollups, a second batch adding to the first', async () => {
      expect(await db.tenant(tenantId, (tx) => reads.buckets(tx, period, 'hour'))).toEqual([
        { key: isoHour(2), count: 8, byOutcome: { VALID: 7, REVOKED: 1 } },
        { key: isoHour(1), count: 3, byOutcome: { VALID: 1, NOT_FOUND: 1, '2xx': 1 } },
      ]);
    });

    it("counts one token's uses by country, the most first, and by outcome; uses without a country count as null", async () => {
      const scope = { ...period, tokenId: token };
      expect(await db.tenant(tenantId, (tx) => reads.buckets(tx, scope, 'country'))).toEqual([
        { key: 'DE', count: 6, byOutcome: { VALID: 5, REVOKED: 1 } },
        { key: 'US', count: 2, byOutcome: { VALID: 2 } },
        { key: 'FR', count: 1, byOutcome: { VALID: 1 } },
      ]);
      expect(await db.tenant(tenantId, (tx) => reads.buckets(tx, { ...period, kind: 'verify' }, 'region'))).toEqual([
        { key: 'EU', count: 7, byOutcome: { VALID: 6, REVOKED: 1 } },
        { key: 'US', count: 2, byOutcome: { VALID: 2 } },
        { key: null, count: 1, byOutcome: { NOT_FOUND: 1 } },
      ]);
      expect(await db.tenant(tenantId, (tx) => reads.buckets(tx, scope, 'outcome'))).toEqual([
        { key: 'VALID', count: 8, byOutcome: { VALID: 8 } },
        { key: 'REVOKED', count: 1, byOutcome: { REVOKED: 1 } },
      ]);
    });

    it('counts by UTC day, and only the hours of the period', async () => {
      const day = new Date(thisHour - 2 * HOUR).toISOString().slice(0, 10);
      const days = await db.tenant(tenantId, (tx) => reads.buckets(tx, { from: at(2), to: at(1) }, 'day'));
      expect(days).toEqual([{ key: day, count: 8, byOutcome: { VALID: 7, REVOKED: 1 } }]);
      expect(await db.tenant(tenantId, (tx) => reads.buckets(tx, { from: at(0), to: new Date(thisHour + HOUR) }, 'hour'))).toEqual([]);
    });

    it('counts the uses of the tokens a service owns', async () => {
      const serviceId = await createService(db, tenantId);
      const owned = (await insertTokenRow(db, tenantId, { ownerServiceId: serviceId })).id;
      await insert(tenantId, times(4, usageEvent(tenantId, { tokenId: owned, occurredAt: at(3) })));
      expect(await db.tenant(tenantId, (tx) => reads.buckets(tx, { ...period, serviceId }, 'outcome'))).toEqual([
        { key: 'VALID', count: 4, byOutcome: { VALID: 4 } },
      ]);
    });
  });

  describe('pages of raw events', () => {
    let tenantId: string;
    let token: string;
    let stored: StoredUsageEvent[];

    beforeAll(async () => {
      tenantId = await createTenant(db, 'usage pages');
      token = (await insertTokenRow(db, tenantId)).id;
      // Three events per moment: the page boundary falls between events of one moment too.
      const events = Array.from({ length: 25 }, (_, i) =>
        usageEvent(tenantId, {
          tokenId: i % 5 === 0 ? null : token,
          occurredAt: at(1, Math.floor(i / 3)),
          outcome: i % 4 === 0 ? 'EXPIRED' : 'VALID',
          country: i % 2 === 0 ? 'DE' : 'JP',
          crossBorder: i % 2 === 1,
        }),
      );
      await insert(tenantId, events);
      stored = await db.tenant(tenantId, (tx) => reads.events(tx, {}, 100));
    });

    it('returns the newest first, each with its network and never a whole address', () => {
      expect(stored).toHaveLength(25);
      for (let i = 1; i < stored.length; i++) {
        const [newer, older] = [stored[i - 1]!, stored[i]!];
        expect(newer.occurredAt.getTime() > older.occurredAt.getTime() || (newer.occurredAt.getTime() === older.occurredAt.getTime() && BigInt(newer.id) > BigInt(older.id))).toBe(true);
      }
      expect(stored[0]).toMatchObject({ tenantId, kind: 'verify', ipPrefix: '193.99.144.0/24', transport: 'https', userAgent: 'medium-test/1.0' });
    });

    it('walks every event once, page by page, from the last of each page', async () => {
      const seen: string[] = [];
      let before: { occurredAt: Date; id: string } | undefined;
      for (;;) {
        const page = await db.tenant(tenantId, (tx) => reads.events(tx, { before }, 10));
        seen.push(...page.map((e) => e.id));
        if (page.length < 10) break;
        before = { occurredAt: page.at(-1)!.occurredAt, id: page.at(-1)!.id };
      }
      expect(seen).toEqual(stored.map((e) => e.id));
    });

    it('filters by token, outcome, country and cross-border use', async () => {
      const expected = stored.filter((e) => e.tokenId === token && e.outcome === 'VALID' && e.country === 'JP' && e.crossBorder);
      expect(expected.length).toBeGreaterThan(0);
      const page = await db.tenant(tenantId, (tx) =>
        reads.events(tx, { tokenId: token, outcome: 'VALID', country: 'JP', crossBorder: true }, 100),
      );
      expect(page.map((e) => e.id)).toEqual(expected.map((e) => e.id));
      const notCrossing = await db.tenant(tenantId, (tx) => reads.events(tx, { crossBorder: false }, 100));
      expect(notCrossing.map((e) => e.id)).toEqual(stored.filter((e) => !e.crossBorder).map((e) => e.id));
    });
  });

  describe("a token's summary", () => {
    it('lists its countries with first and last use, and since a moment its outcomes, distinct addresses and cross-border uses', async () => {
      const tenantId = await createTenant(db, 'usage summary');
      const token = (await insertTokenRow(db, tenantId)).id;
      const e = (overrides: Partial<UsageEvent>) => usageEvent(tenantId, { tokenId: token, ...overrides });
      const longAgo = new Date(Date.now() - 40 * DAY);
      await insert(tenantId, [
        e({ occurredAt: longAgo, country: 'BR', region: 'LATAM', ipHash: 'old', crossBorder: true }),
        e({ occurredAt: at(5), ipHash: 'a' }),
        e({ occurredAt: at(3, 15), ipHash: 'b' }),
        e({ occurredAt: at(3, 20), ipHash: 'a', outcome: 'INSUFFICIENT_SCOPE' }),
        e({ occurredAt: at(2), country: 'US', region: 'US', ipHash: 'c', crossBorder: true }),
        e({ occurredAt: at(1), ipHash: null, ipPrefix: null, country: null, region: null }),
      ]);
      const summary = await db.tenant(tenantId, (tx) => reads.tokenSummary(tx, token, new Date(Date.now() - 30 * DAY)));
      expect(summary).toEqual({
        latest: expect.objectContaining({ tokenId: token, occurredAt: at(1), country: null }),
        countries: [
          { country: 'DE', region: 'EU', firstSeenAt: at(5), lastSeenAt: at(3, 20), count: 3 },
          { country: 'BR', region: 'LATAM', firstSeenAt: longAgo, lastSeenAt: longAgo, count: 1 },
          { country: 'US', region: 'US', firstSeenAt: at(2), lastSeenAt: at(2), count: 1 },
          { country: null, region: null, firstSeenAt: at(1), lastSeenAt: at(1), count: 1 },
        ],
        byOutcome: { VALID: 4, INSUFFICIENT_SCOPE: 1 },
        distinctAddresses: 3,
        crossBorderCount: 1,
      });
    });

    it('is empty for a token never used', async () => {
      const tenantId = await createTenant(db, 'usage summary unused');
      const summary = await db.tenant(tenantId, (tx) => reads.tokenSummary(tx, 'tok_unused', new Date(0)));
      expect(summary).toEqual({ latest: null, countries: [], byOutcome: {}, distinctAddresses: 0, crossBorderCount: 0 });
    });
  });

  describe('tenant isolation', () => {
    it("never shows one tenant's usage to another, and refuses to write it into another's transaction", async () => {
      const [mine, theirs] = [await createTenant(db, 'usage mine'), await createTenant(db, 'usage theirs')];
      const token = (await insertTokenRow(db, theirs)).id;
      await insert(theirs, times(3, usageEvent(theirs, { tokenId: token, occurredAt: at(1) })));

      expect(await usageEventCount(db, theirs)).toBe(3);
      expect(await usageEventCount(db, mine)).toBe(0);
      expect(await db.tenant(mine, (tx) => reads.events(tx, { tokenId: token }, 10))).toEqual([]);
      expect(await db.tenant(mine, (tx) => reads.buckets(tx, period, 'hour'))).toEqual([]);
      expect(await db.tenant(mine, (tx) => reads.tokenSummary(tx, token, new Date(0)))).toMatchObject({ latest: null, countries: [], distinctAddresses: 0 });
      await expect(db.tenant(mine, (tx) => writes.insertBatch(tx, [usageEvent(theirs)]))).rejects.toThrow();
      expect(await usageEventCount(db, theirs)).toBe(3);
    });
  });

  describe('what the schema refuses', () => {
    let tenantId: string;
    beforeAll(async () => {
      tenantId = await createTenant(db, 'usage refusals');
    });

    it.each([
      ['a whole IPv4 address', '193.99.144.80'],
      ['a network with host bits', '193.99.144.80/24'],
      ['an IPv4 network narrower than /24', '193.99.144.0/25'],
      ['a whole IPv6 address', '2001:db8::1'],
      ['an IPv6 network narrower than /48', '2001:db8::/64'],
    ])('refuses %s as the network', async (_what, ipPrefix) => {
      const failure = await db.tenant(tenantId, (tx) => writes.insertBatch(tx, [usageEvent(tenantId, { ipPrefix })])).then(
        () => 'written',
        (error: unknown) => writes.failureOf(error),
      );
      expect(failure).toBe('refused');
      expect(await usageEventCount(db, tenantId)).toBe(0);
    });

    it('says when a day has no partition yet, and takes the batch once it is made', async () => {
      const later = new Date(Date.now() + 20 * DAY);
      const batch = [usageEvent(tenantId, { occurredAt: later })];
      const failure = await db.tenant(tenantId, (tx) => writes.insertBatch(tx, batch)).then(
        () => 'written',
        (error: unknown) => writes.failureOf(error),
      );
      expect(failure).toBe('missing_partition');
      expect(await db.system((tx) => writes.ensurePartitions(tx, later, later))).toBe(1);
      await insert(tenantId, batch);
      expect(await usageEventCount(db, tenantId)).toBe(1);
    });

    it('makes partitions only for days that can hold events', async () => {
      const tooFar = new Date(Date.now() + 60 * DAY);
      await expect(db.system((tx) => writes.ensurePartitions(tx, tooFar, tooFar))).rejects.toThrow(/usage partitions are made for days/);
    });
  });
});
