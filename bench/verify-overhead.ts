import {
  inProcessLimiter,
  TokenCache,
  TokenSnapshots,
  UsageEventWriter,
  UsageObserver,
  UsageRecorder,
  VerifyService,
  WindowedRateLimiter,
  type ApplicationSettings,
  type Principal,
  type RequestOrigin,
} from '@custos/application';
import { AddressHasher, SecretMatcher, TokenHasher } from '@custos/crypto';
import type { CountryLookup } from '@custos/domain';
import { createTenant, insertTokenRow } from '@custos/fixtures';
import { createDataSource, Database, TokenSnapshotRepository, TokenUsageRepository, UsageEventRepository, AlertSignalRepository } from '@custos/persistence';
import { CountryLocator, NoCountryLookup } from '@custos/runtime';
import { createBenchDatabase, type BenchDatabase } from './lib/bench-database';
import { clientAddresses } from './lib/client-addresses';
import { median, round } from './lib/stats';

/**
 * `npm run bench:verify-overhead` (docs/benchmarks.md): what usage events, geolocation and a rate limit
 * add to the api's CPU per verify, without HTTP, sockets or a load generator in the way (the same for
 * every configuration, and most of the noise of bench:usage). VerifyService.verify in a loop, with its
 * writers flushing to a real database as in the api, in three configurations:
 *
 * - all off: CUSTOS_USAGE_EVENTS=off, CUSTOS_GEOIP_DB=off, a token without a rate limit;
 * - events + geo: the defaults, the same token;
 * - all on: the defaults, a token with a rate limit (never reached) and a monitored geofence.
 *
 * CPU of this process per verify, median of the rounds; Postgres is not counted (bench:usage counts it).
 */
const env = process.env;
const VERIFIES = Number(env.BENCH_VERIFIES ?? 200_000);
const ROUNDS = Number(env.BENCH_ROUNDS ?? 5);
const CLIENTS = Number(env.BENCH_CLIENTS ?? 1000);
const CONCURRENCY = 50;
const log = (line: string): void => void process.stdout.write(`${line}\n`);

const settings: ApplicationSettings = { verifyCacheTtlMs: 30_000, sessionTtlSeconds: 60, usageFlushIntervalMs: 1000, loginMinResponseMs: 0 };
const hasher = new TokenHasher({ id: 'p_bench', secret: 'a pepper for the verify overhead bench' });
const ORIGIN: RequestOrigin = { ip: '10.0.0.7', transport: 'http', userAgent: 'orders-service/1.2' };

interface Configuration {
  name: string;
  service: VerifyService;
  token: string;
  stop(): Promise<void>;
}

function configuration(db: Database, name: string, token: string, options: { events: boolean; countries: CountryLookup }): Configuration {
  const writer = new UsageEventWriter(db, { flushIntervalMs: 1000, bufferMax: 1_000_000, batchMax: 5000, off: !options.events }, new UsageEventRepository(), new AlertSignalRepository());
  const recorder = new UsageRecorder(db, settings, new TokenUsageRepository());
  writer.onModuleInit();
  recorder.onModuleInit();
  const service = new VerifyService(
    new TokenSnapshots(db, new TokenCache(settings), new TokenSnapshotRepository()),
    new SecretMatcher(hasher),
    recorder,
    new UsageObserver(writer, options.countries, new AddressHasher(hasher)),
    new WindowedRateLimiter(inProcessLimiter, `bench-${name}`),
  );
  return {
    name,
    service,
    token,
    stop: async () => {
      await writer.beforeApplicationShutdown();
      await recorder.beforeApplicationShutdown();
    },
  };
}

/** CPU microseconds of this process per verify over `count` verifies, `CONCURRENCY` at a time. */
async function cpuPerVerify(config: Configuration, principal: Principal, bodies: readonly { ip: string }[], count: number): Promise<number> {
  let next = 0;
  const started = process.cpuUsage();
  const lane = async (): Promise<void> => {
    while (next < count) {
      const context = bodies[next++ % bodies.length]!;
      const result = await config.service.verify(principal, { token: config.token, context }, ORIGIN);
      if (!result.valid) throw new Error(`${config.name}: ${result.code}`);
      // As requests arriving over sockets do: timers (the writers' flushes) and I/O get their turn.
      if (next % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const used = process.cpuUsage(started);
  return (used.user + used.system) / count;
}

async function main(): Promise<void> {
  const bench: BenchDatabase = await createBenchDatabase();
  const db = new Database(createDataSource({ url: bench.appUrl, poolSize: 4 }));
  await db.dataSource.initialize();
  try {
    const tenantId = await createTenant(db, 'verify overhead bench');
    const principal: Principal = {
      tenantId, kind: 'service_key', id: 'tok_bench_caller', email: null, name: null, scopes: ['custos:tokens:verify'], role: null, ownerServiceId: null, sessionId: null,
    };
    const plain = await insertTokenRow(db, tenantId, { hasher });
    const limited = await insertTokenRow(db, tenantId, {
      hasher,
      rateLimit: { limit: 1_000_000, windowSeconds: 1 },
      geo: { mode: 'monitor', residencyRegion: 'EU', allowedRegions: ['EU'] },
    });
    const countries = CountryLocator.open();
    const configs = [
      configuration(db, 'all off', plain.raw, { events: false, countries: new NoCountryLookup() }),
      configuration(db, 'events + geo', plain.raw, { events: true, countries }),
      configuration(db, 'all on', limited.raw, { events: true, countries }),
    ];
    const bodies = clientAddresses(CLIENTS).map((ip) => ({ ip }));
    log(`verify overhead bench: ${VERIFIES} verifies per run, ${ROUNDS} rounds, ${CLIENTS} client addresses, in process`);
    // Warm-up: caches filled and code optimized before anything counts.
    for (const config of configs) await cpuPerVerify(config, principal, bodies, 20_000);
    const measured = new Map(configs.map((c) => [c.name, [] as number[]]));
    for (let r = 0; r < ROUNDS; r++) {
      const order = configs.map((_, i) => configs[(i + r) % configs.length]!);
      for (const config of order) measured.get(config.name)!.push(await cpuPerVerify(config, principal, bodies, VERIFIES));
    }
    const off = median(measured.get('all off')!);
    for (const [name, values] of measured) {
      const cost = median(values);
      log(`  ${name}: ${round(cost, 2)} µs CPU per verify (median; ${values.map((v) => round(v, 1)).join(', ')})${name === 'all off' ? '' : `, +${round(cost - off, 2)} µs over all off`}`);
    }
    for (const config of configs) await config.stop();
  } finally {
    await db.dataSource.destroy();
    await bench.drop();
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`verify overhead bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
