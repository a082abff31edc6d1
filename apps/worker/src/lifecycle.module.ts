import { Global, Module, type DynamicModule } from '@nestjs/common';
import { INVALIDATION_PUBLISHER, TOKEN_FEED, WORKER_FEATURES } from '@custos/application';
import type { RedisKeys } from '@custos/contracts';
import { PersistenceModule } from '@custos/persistence';
import { settingsProviders, type CustosConfig } from '@custos/runtime';
import { WorkerInvalidationPublisher } from './invalidation.publisher';
import { WorkerTokenFeed } from './token-feed.provider';
import { WORKER_CONFIG } from './worker-config';

/** The worker's infrastructure: configuration, settings, the database, cache invalidation and the events feed. */
@Global()
@Module({})
class WorkerInfrastructureModule {
  static forRoot(config: CustosConfig, redisKeys: RedisKeys): DynamicModule {
    const providers = [
      { provide: WORKER_CONFIG, useValue: config },
      ...settingsProviders(config, redisKeys),
      WorkerInvalidationPublisher,
      { provide: INVALIDATION_PUBLISHER, useExisting: WorkerInvalidationPublisher },
      WorkerTokenFeed,
      { provide: TOKEN_FEED, useExisting: WorkerTokenFeed },
    ];
    return {
      module: WorkerInfrastructureModule,
      imports: [
        PersistenceModule.forRoot({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, applicationName: 'custos-worker' }),
      ],
      providers,
      exports: providers.map((p) => ('provide' in p ? p.provide : p)),
    };
  }
}

/**
 * The features the worker's jobs run and what they need, without the queues: the worker imports it,
 * and tests drive the sweeps through it directly.
 */
@Module({})
export class LifecycleModule {
  static forRoot(config: CustosConfig, redisKeys: RedisKeys): DynamicModule {
    return {
      module: LifecycleModule,
      imports: [WorkerInfrastructureModule.forRoot(config, redisKeys), ...WORKER_FEATURES],
      exports: WORKER_FEATURES,
    };
  }
}
