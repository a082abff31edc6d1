import { Global, Inject, Module, type BeforeApplicationShutdown, type DynamicModule, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { API_FEATURES, inProcessLimiter, INVALIDATION_PUBLISHER, TOKEN_FEED, INVITATION_MAILER, LOGIN_THROTTLE, TOKEN_RATE_LIMITER, WindowedRateLimiter, type LimiterFactory } from '@custos/application';
import type { RedisKeys } from '@custos/contracts';
import { TokenHasher } from '@custos/crypto';
import { PersistenceModule } from '@custos/persistence';
import type { Redis } from 'ioredis';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { CUSTOS_CONFIG } from './config.provider';
import { REDIS, closeRedis, createRedis } from './redis.provider';
import { INVALIDATION_CHANNEL, TokenInvalidationPublisher, TokenInvalidationSubscriber } from './token-invalidation';
import { createInvalidationChannel, invitationMailerOf, LimiterFallbacks, RedisTokenFeed, redisLimiter, settingsProviders, type CustosConfig } from '@custos/runtime';

import { API_RATE_LIMITER } from '../auth/service-key-rate-limit';
import { FAMILIAR_SECONDS, FAMILIAR_SECONDS_IN_PROCESS, LimiterLoginThrottle, type LoginThrottleSettings } from './login-throttle';
import { AUTH_RATE_LIMITER, LEAK_REPORT_RATE_LIMITER } from '../auth/auth-rate-limit.guard';

class RedisCloser implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(TOKEN_FEED) private readonly feed: RedisTokenFeed | null,
  ) {}

  /**
   * Before the HTTP server closes: it waits for open connections, and an events stream never ends by
   * itself. Its clients reconnect to another instance.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.feed?.close();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis) await closeRedis(this.redis);
  }
}

/** What the use cases need from the outside world, built once from the validated configuration. */
@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(config: CustosConfig, processName: string, redisKeys: RedisKeys): DynamicModule {
    const onRedis = config.CUSTOS_QUEUE_BACKEND === 'redis';
    // Without Redis (queues on Postgres) there is no shared store for counts: each instance counts alone.
    const fallbacks = new LimiterFallbacks();
    const limiterOf = (redis: Redis | null): LimiterFactory => (redis ? (options) => redisLimiter(redis, options, fallbacks) : inProcessLimiter);
    const providers: Provider[] = [
      { provide: LimiterFallbacks, useValue: fallbacks },
      { provide: CUSTOS_CONFIG, useValue: config },
      ...settingsProviders(config, redisKeys),
      // null when the queues run on Postgres: nothing of this process talks to Redis then.
      { provide: REDIS, useFactory: () => (onRedis ? createRedis(config.REDIS_URL, processName, { autoPipelining: true }) : null) },
      RedisCloser,
      {
        provide: LOGIN_THROTTLE,
        useFactory: (redis: Redis | null, hasher: TokenHasher) =>
          new LimiterLoginThrottle(
            limiterOf(redis),
            hasher,
            loginThrottleSettingsOf(config, redisKeys),
            redis ? FAMILIAR_SECONDS : FAMILIAR_SECONDS_IN_PROCESS,
          ),
        inject: [REDIS, TokenHasher],
      },
      {
        provide: AUTH_RATE_LIMITER,
        useFactory: (redis: Redis | null): RateLimiterAbstract =>
          limiterOf(redis)({ keyPrefix: redisKeys.key('auth-rate'), points: config.CUSTOS_AUTH_RATE_LIMIT, duration: 60 }),
        inject: [REDIS],
      },
      {
        provide: LEAK_REPORT_RATE_LIMITER,
        useFactory: (redis: Redis | null): RateLimiterAbstract =>
          limiterOf(redis)({ keyPrefix: redisKeys.key('leak-rate'), points: config.CUSTOS_LEAK_REPORT_RATE_LIMIT, duration: 60 }),
        inject: [REDIS],
      },
      {
        provide: TOKEN_RATE_LIMITER,
        useFactory: (redis: Redis | null) => new WindowedRateLimiter(limiterOf(redis), redisKeys.key('token-rate')),
        inject: [REDIS],
      },
      {
        provide: API_RATE_LIMITER,
        useFactory: (redis: Redis | null) => new WindowedRateLimiter(limiterOf(redis), redisKeys.key('api-rate')),
        inject: [REDIS],
      },
      {
        provide: INVALIDATION_CHANNEL,
        useFactory: (redis: Redis | null) =>
          createInvalidationChannel(config, redisKeys.tokenInvalidationChannel, processName, () => redis!, false),
        inject: [REDIS],
      },
      {
        // Followed from this instance by the clients of GET /v1/events/stream; none without Redis (the route answers 503).
        provide: TOKEN_FEED,
        useFactory: (redis: Redis | null) => {
          if (!redis) return null;
          const feed = new RedisTokenFeed(redis, config.REDIS_URL, (tenantId) => redisKeys.tokenFeed(tenantId), config.CUSTOS_FEED_RETENTION_SECONDS * 1000, `${processName}-feed`);
          feed.start();
          return feed;
        },
        inject: [REDIS],
      },
      // Invitation e-mails: SMTP when SMTP_URL is set, none otherwise (the inviter shares the link).
      { provide: INVITATION_MAILER, useValue: invitationMailerOf(config) },
      TokenInvalidationPublisher,
      { provide: INVALIDATION_PUBLISHER, useExisting: TokenInvalidationPublisher },
    ];
    return {
      module: InfrastructureModule,
      imports: [
        PersistenceModule.forRoot({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, applicationName: processName }),
      ],
      providers,
      exports: providers.map((p) => (typeof p === 'function' ? p : p.provide)).filter((p) => p !== RedisCloser),
    };
  }
}

function loginThrottleSettingsOf(config: CustosConfig, redisKeys: RedisKeys): LoginThrottleSettings {
  return {
    keyPrefix: redisKeys.key('login'),
    maxFailures: config.CUSTOS_LOGIN_MAX_FAILURES,
    lockoutSeconds: config.CUSTOS_LOGIN_LOCKOUT_SECONDS,
    accountFailuresPerHour: config.CUSTOS_LOGIN_ACCOUNT_FAILURE_LIMIT,
    addressFailuresPerDay: config.CUSTOS_LOGIN_ADDRESS_FAILURE_LIMIT,
  };
}

/** The features the api serves, plus what keeps this instance's verify cache in step with the others. */
@Module({ imports: API_FEATURES, providers: [TokenInvalidationSubscriber], exports: API_FEATURES })
export class UseCasesModule {}
