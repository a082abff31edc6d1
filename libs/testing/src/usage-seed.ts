import type { UsageEvent } from '@custos/domain';
import { withAppDatabase } from './app-database';
import { persistence } from './heavy-libraries';

export { usageEvent } from '@custos/fixtures/usage';

/**
 * Stores usage events as the api's writer does (events, hourly rollups, daily addresses), each tenant's
 * in its own transaction, making the day partitions they need: usage for api tests, without a verify
 * per event.
 */
export async function seedUsageEvents(events: readonly UsageEvent[]): Promise<void> {
  if (events.length === 0) return;
  const repository = new (await persistence()).UsageEventRepository();
  const times = events.map((e) => e.occurredAt.getTime());
  await withAppDatabase(async (db) => {
    await db.system((tx) => repository.ensurePartitions(tx, new Date(Math.min(...times)), new Date(Math.max(...times))));
    for (const tenantId of new Set(events.map((e) => e.tenantId))) {
      await db.tenant(tenantId, (tx) => repository.insertBatch(tx, events.filter((e) => e.tenantId === tenantId)));
    }
  });
}
