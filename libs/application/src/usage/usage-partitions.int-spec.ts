import { UsageEventRepository, UsageRetentionRepository } from '@custos/persistence';
import {
  createTenant,
  insertTokenRow,
  setUsageRetention,
  usageAggregateCounts,
  usageEvent,
  usageEventCount,
  useMediumDatabase,
} from '@custos/fixtures';
import { USAGE_PARTITION_DAYS_AHEAD, UsagePartitions } from './usage-partitions';

const DAY = 86_400_000;
const utcDay = (time: number) => new Date(time).toISOString().slice(0, 10);

/**
 * The worker's `usage.partitions` job on the real database: partitions ready a week ahead, whole days
 * dropped past the longest retention of any tenant, and a tenant keeping less losing its older usage
 * while the others keep theirs. Test tenants keep the default retention (90 days) unless a test says.
 */
describe('UsagePartitions (real database)', () => {
  const db = useMediumDatabase();
  const events = new UsageEventRepository();
  const retention = new UsageRetentionRepository();
  const partitions = new UsagePartitions(db, events, retention);
  const partitionDays = () => db.system((tx) => retention.partitionDays(tx));

  it('makes the partitions of today and the week ahead, once', async () => {
    await partitions.run();
    const now = Date.now();
    const ahead = Array.from({ length: USAGE_PARTITION_DAYS_AHEAD + 1 }, (_, i) => utcDay(now + i * DAY));
    expect(await partitionDays()).toEqual(expect.arrayContaining(ahead));
    expect((await partitions.run()).made).toBe(0);
  });

  it('drops the days older than the longest retention of any tenant, and keeps the rest', async () => {
    const [old, kept] = [Date.now() - 400 * DAY, Date.now() - 30 * DAY];
    await db.system((tx) => events.ensurePartitions(tx, new Date(old), new Date(old)));
    await db.system((tx) => events.ensurePartitions(tx, new Date(kept), new Date(kept)));
    expect(await partitionDays()).toEqual(expect.arrayContaining([utcDay(old), utcDay(kept)]));

    const run = await partitions.run();
    expect(run.dropped).toContain(`usage_events_p${utcDay(old).replaceAll('-', '')}`);
    const days = await partitionDays();
    expect(days).not.toContain(utcDay(old));
    expect(days).toContain(utcDay(kept));
  });

  it('deletes the older usage of a tenant keeping it 1 day, while a tenant keeping 90 days keeps all of its own', async () => {
    const [brief, lasting] = [await createTenant(db, 'usage retention 1 day'), await createTenant(db, 'usage retention 90 days')];
    await setUsageRetention(db, brief, 1);
    const threeDaysAgo = new Date(Date.now() - 3 * DAY);
    await db.system((tx) => events.ensurePartitions(tx, threeDaysAgo, new Date()));
    for (const tenantId of [brief, lasting]) {
      const tokenId = (await insertTokenRow(db, tenantId)).id;
      await db.tenant(tenantId, (tx) =>
        events.insertBatch(tx, [
          usageEvent(tenantId, { tokenId, occurredAt: threeDaysAgo, ipHash: 'then' }),
          usageEvent(tenantId, { tokenId, occurredAt: threeDaysAgo, ipHash: 'then' }),
          usageEvent(tenantId, { tokenId, ipHash: 'now' }),
        ]),
      );
    }
    const before = { events: 3, rollups: 2, addresses: 2 };
    expect({ events: await usageEventCount(db, brief), ...(await usageAggregateCounts(db, brief)) }).toEqual(before);

    const run = await partitions.run();
    expect(run.deleted).toBeGreaterThanOrEqual(4);
    expect({ events: await usageEventCount(db, brief), ...(await usageAggregateCounts(db, brief)) }).toEqual({ events: 1, rollups: 1, addresses: 1 });
    expect({ events: await usageEventCount(db, lasting), ...(await usageAggregateCounts(db, lasting)) }).toEqual(before);
  });
});
