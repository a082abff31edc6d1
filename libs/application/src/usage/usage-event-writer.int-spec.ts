import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AddressHasher, TokenHasher } from '@custos/crypto';
import { CountryLookup, type UsageEvent, type UsageEventBatch } from '@custos/domain';
import { createDataSource, Database, PersistenceModule, UsageEventRepository, type Tx, AlertSignalRepository } from '@custos/persistence';
import { createTenant, databaseLink, usageEvent, usageEventCount, useMediumDatabase, type DatabaseLink } from '@custos/fixtures';
import { UsageEventWriter } from './usage-event-writer';
import { USAGE_SETTINGS, type UsageSettings } from './usage-settings';
import { UsageModule } from './usage.module';

const DAY = 86_400_000;
/** Long enough that only the test (or a full batch) starts a write. */
const settings: UsageSettings = { flushIntervalMs: 60_000, bufferMax: 100_000, batchMax: 3 };

/** The real repository, noting how many events each INSERT carried. */
class StatementSizes extends UsageEventRepository {
  readonly sizes: number[] = [];
  override insertBatch(tx: Tx, events: UsageEventBatch | readonly UsageEvent[]): Promise<void> {
    this.sizes.push(events.length);
    return super.insertBatch(tx, events);
  }
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The usage writer on the real database: nothing recorded is lost while the process lives or when it
 * stops gracefully, an outage only delays events (up to the buffer's bound, past which drops are
 * counted), and one bad event never holds up the others.
 */
describe('UsageEventWriter (real database)', () => {
  const db = useMediumDatabase();
  let writers: UsageEventWriter[] = [];
  const writer = (overrides: Partial<UsageSettings> = {}, database: Database = db) => {
    const made = new UsageEventWriter(database, { ...settings, ...overrides }, new UsageEventRepository(), new AlertSignalRepository());
    writers.push(made);
    return made;
  };
  afterEach(async () => {
    // Their timers, if started; what a test left buffered is its own business.
    for (const made of writers) await made.beforeApplicationShutdown().catch(() => undefined);
    writers = [];
  });

  it('only buffers what it records: nothing is written before a flush', async () => {
    const tenantId = await createTenant(db, 'usage writer buffer');
    const usage = writer({ batchMax: 100 });
    for (let i = 0; i < 5; i++) usage.record(usageEvent(tenantId));
    expect(usage.buffered).toBe(5);
    expect(await usageEventCount(db, tenantId)).toBe(0);
  });

  it('records nothing when usage events are off (CUSTOS_USAGE_EVENTS=off)', async () => {
    const tenantId = await createTenant(db, 'usage writer off');
    const usage = writer({ off: true });
    for (let i = 0; i < 5; i++) usage.record(usageEvent(tenantId));
    await usage.flush();
    expect([usage.buffered, usage.droppedEvents, await usageEventCount(db, tenantId)]).toEqual([0, 0, 0]);
  });

  it('writes every event in its own tenant, in statements of at most batchMax events', async () => {
    const [a, b] = [await createTenant(db, 'usage writer a'), await createTenant(db, 'usage writer b')];
    const statements = new StatementSizes();
    const usage = new UsageEventWriter(db, settings, statements, new AlertSignalRepository());
    writers.push(usage);
    for (let i = 0; i < 7; i++) usage.record(usageEvent(a));
    for (let i = 0; i < 2; i++) usage.record(usageEvent(b, { outcome: 'NOT_FOUND' }));

    await usage.flush();
    expect({ a: await usageEventCount(db, a), b: await usageEventCount(db, b) }).toEqual({ a: 7, b: 2 });
    expect(statements.sizes.every((n) => n <= settings.batchMax)).toBe(true);
    expect(statements.sizes.reduce((sum, n) => sum + n, 0)).toBe(9);
    expect({ buffered: usage.buffered, written: usage.writtenEvents, dropped: usage.droppedEvents, lag: usage.lagSeconds() }).toEqual({
      buffered: 0, written: 9, dropped: 0, lag: 0,
    });
  });

  it('starts a write as soon as a full batch is waiting, without waiting for the interval', async () => {
    const tenantId = await createTenant(db, 'usage writer full batch');
    const usage = writer({ batchMax: 10 });
    usage.onModuleInit();
    for (let i = 0; i < 10; i++) usage.record(usageEvent(tenantId));
    await eventually(async () => (await usageEventCount(db, tenantId)) === 10);
  });

  it('sets apart and drops, counted, an event the database refuses; the rest of its batch is written', async () => {
    const tenantId = await createTenant(db, 'usage writer refusal');
    const usage = writer({ batchMax: 100 });
    for (let i = 0; i < 5; i++) usage.record(usageEvent(tenantId));
    usage.record(usageEvent(tenantId, { ipPrefix: '193.99.144.80' }));
    for (let i = 0; i < 5; i++) usage.record(usageEvent(tenantId));
    await usage.flush();
    expect(await usageEventCount(db, tenantId)).toBe(10);
    expect({ buffered: usage.buffered, written: usage.writtenEvents, dropped: usage.droppedEvents }).toEqual({ buffered: 0, written: 10, dropped: 1 });
  });

  it("makes a day's partition when an event finds none, and writes it", async () => {
    const tenantId = await createTenant(db, 'usage writer partition');
    const usage = writer();
    usage.record(usageEvent(tenantId, { occurredAt: new Date(Date.now() + 9 * DAY) }));
    usage.record(usageEvent(tenantId));
    await usage.flush();
    expect(await usageEventCount(db, tenantId)).toBe(2);
    expect(usage.droppedEvents).toBe(0);
  });

  it('drops, counted, events of no tenant at all', () => {
    const usage = writer();
    usage.record(usageEvent("x'; DROP TABLE usage_events; --"));
    expect({ buffered: usage.buffered, dropped: usage.droppedEvents }).toEqual({ buffered: 0, dropped: 1 });
  });

  describe('while the database is unreachable', () => {
    let link: DatabaseLink;
    let linked: Database;

    beforeAll(async () => {
      link = await databaseLink(process.env.TEST_DATABASE_URL!);
      linked = new Database(createDataSource({ url: link.url, poolSize: 2 }));
      await linked.dataSource.initialize();
    });
    afterAll(async () => {
      await linked.dataSource.destroy();
      await link.close();
    });

    it('keeps the events up to the bound and writes them once it is back; drops past the bound are counted', async () => {
      const tenantId = await createTenant(db, 'usage writer outage');
      const usage = writer({ bufferMax: 50, batchMax: 20 }, linked);
      for (let i = 0; i < 10; i++) usage.record(usageEvent(tenantId));
      await usage.flush();
      expect(await usageEventCount(db, tenantId)).toBe(10);

      await link.cut();
      const cutAt = Date.now();
      for (let i = 0; i < 20; i++) usage.record(usageEvent(tenantId, { occurredAt: new Date(cutAt) }));
      await usage.flush();
      await usage.flush();
      expect(usage.buffered).toBe(20);
      expect(usage.lagSeconds(cutAt + 3000)).toBe(3);
      // Recorded while a write that fails is in flight: held once, behind what waits.
      const failing = usage.flush();
      for (let i = 0; i < 5; i++) usage.record(usageEvent(tenantId, { occurredAt: new Date(cutAt) }));
      await failing;
      expect(usage.buffered).toBe(25);
      for (let i = 0; i < 40; i++) usage.record(usageEvent(tenantId));
      expect({ buffered: usage.buffered, dropped: usage.droppedEvents, written: usage.writtenEvents }).toEqual({ buffered: 50, dropped: 15, written: 10 });

      await link.restore();
      await usage.flush();
      expect(await usageEventCount(db, tenantId)).toBe(60);
      expect({ buffered: usage.buffered, dropped: usage.droppedEvents, written: usage.writtenEvents, lag: usage.lagSeconds() }).toEqual({
        buffered: 0, dropped: 15, written: 60, lag: 0,
      });
    });
  });

  describe('graceful shutdown', () => {
    @Global()
    /** What the api's settingsProviders give the usage module besides its settings. */
    class NoCountries extends CountryLookup {
      countryOfClient(): string | null {
        return null;
      }
    }
    const providers = [
      { provide: USAGE_SETTINGS, useValue: { ...settings, batchMax: 100 } },
      { provide: CountryLookup, useValue: new NoCountries() },
      { provide: AddressHasher, useValue: new AddressHasher(new TokenHasher({ id: 'p1', secret: 'a pepper for the usage shutdown test' })) },
    ];
    @Global()
    @Module({ providers, exports: providers.map((p) => p.provide) })
    class UsageSettingsModule {}

    it('writes every recorded event before the database pool closes', async () => {
      const [a, b] = [await createTenant(db, 'usage shutdown a'), await createTenant(db, 'usage shutdown b')];
      const app = await Test.createTestingModule({
        imports: [
          PersistenceModule.forRoot({ url: process.env.TEST_DATABASE_URL!, poolSize: 2, applicationName: 'custos-usage-shutdown' }),
          UsageSettingsModule,
          UsageModule,
        ],
      }).compile();
      await app.init();
      const usage = app.get(UsageEventWriter);
      for (let i = 0; i < 500; i++) usage.record(usageEvent(i % 3 === 0 ? b : a));

      await app.close();
      expect({ a: await usageEventCount(db, a), b: await usageEventCount(db, b) }).toEqual({ a: 333, b: 167 });
    });
  });
});
