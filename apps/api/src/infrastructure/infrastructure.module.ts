import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { API_FEATURES, INVALIDATION_PUBLISHER, LOGIN_THROTTLE } from '@custos/application';
import type { RedisKeys } from '@custos/contracts';
import { TokenHasher } from '@custos/crypto';
import { PersistenceModule } from '@custos/persistence';
import { settingsProviders, type CustosConfig } from '@custos/runtime';
import type { Redis } from 'ioredis';
import type { RateLimiterRedis } from 'rate-limiter-flexible';
import { CUSTOS_CONFIG } from './config.provider';
import { REDIS, closeRedis, createRedis } from './redis.provider';
import { RedisInvalidationPublisher, RedisInvalidationSubscriber } from './token-invalidation';
import { redisLimiter } from './redis-limiter';
import { RedisLoginThrottle, type LoginThrottleSettings } from './redis-login-throttle';
import { AUTH_RATE_LIMITER } from '../auth/auth-rate-limit.guard';

class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.redis);
  }
}

/** What the use cases need from the outside world, built once from the validated configuration. */
@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(config: CustosConfig, processName: string, redisKeys: RedisKeys): DynamicModule {
    const providers = [
      { provide: CUSTOS_CONFIG, useValue: config },
      ...settingsProviders(config, redisKeys),
      { provide: REDIS, useFactory: () => createRedis(config.REDIS_URL, processName) },
      RedisCloser,
      {
        provide: LOGIN_THROTTLE,
        useFactory: (redis: Redis, hasher: TokenHasher) => new RedisLoginThrottle(redis, hasher, loginThrottleSettingsOf(config, redisKeys)),
        inject: [REDIS, TokenHasher],
      },
      { provide: AUTH_RATE_LIMITER, useFactory: (redis: Redis) => authRateLimiter(redis, config, redisKeys), inject: [REDIS] },
      RedisInvalidationPublisher,
      { provide: INVALIDATION_PUBLISHER, useExisting: RedisInvalidationPublisher },
    ];
    return {
      module: InfrastructureModule,
      imports: [
        PersistenceModule.forRoot({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, applicationName: processName }),
      ],
      providers,
      exports: providers.map((p) => ('provide' in p ? p.provide : p)).filter((p) => p !== RedisCloser),
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

function authRateLimiter(redis: Redis, config: CustosConfig, redisKeys: RedisKeys): RateLimiterRedis {
  return redisLimiter(redis, { keyPrefix: redisKeys.key('auth-rate'), points: config.CUSTOS_AUTH_RATE_LIMIT, duration: 60 });
}

/** The features the api serves, plus what keeps this instance's verify cache in step with the others. */
@Module({ imports: API_FEATURES, providers: [RedisInvalidationSubscriber], exports: API_FEATURES })
export class UseCasesModule {}
