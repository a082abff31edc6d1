import { Global, Module, type DynamicModule } from '@nestjs/common';
import {
  APPLICATION_SETTINGS,
  AuditCheckpoints,
  AuditLog,
  AuditSealer,
  INVALIDATION_PUBLISHER,
  InstallationService,
  PolicyService,
  ReportGenerator,
  SigningKeys,
  StaleReports,
  SuccessorPickup,
  TOKEN_SWEEPS,
  TokenCache,
  TokenIssuer,
  type ApplicationSettings,
} from '@custos/application';
import { RedisKeys } from '@custos/contracts';
import { SecretBox, TokenHasher } from '@custos/crypto';
import { PersistenceModule } from '@custos/persistence';
import type { CustosConfig } from '@custos/runtime';
import { WorkerInvalidationPublisher } from './invalidation.publisher';
import { WORKER_CONFIG } from './worker-config';

/**
 * The use cases the worker's jobs run and what they need, without the queues: the worker imports it,
 * and tests drive the sweeps through it directly.
 */
@Global()
@Module({})
export class LifecycleModule {
  static forRoot(config: CustosConfig, redisKeys: RedisKeys): DynamicModule {
    const settings: ApplicationSettings = {
      sessionTtlSeconds: config.CUSTOS_SESSION_TTL_SECONDS,
      verifyCacheTtlMs: config.CUSTOS_VERIFY_CACHE_TTL_MS,
      usageFlushIntervalMs: config.CUSTOS_USAGE_FLUSH_INTERVAL_MS,
      loginMinResponseMs: config.CUSTOS_LOGIN_MIN_RESPONSE_MS,
      operatorTenantId: config.CUSTOS_OPERATOR_TENANT_ID,
      firstSignupRunsInstallation: config.CUSTOS_EMBEDDED_DATABASE,
    };
    const providers = [
      { provide: WORKER_CONFIG, useValue: config },
      { provide: RedisKeys, useValue: redisKeys },
      { provide: APPLICATION_SETTINGS, useValue: settings },
      {
        provide: TokenHasher,
        useValue: TokenHasher.fromConfig({
          currentId: config.CUSTOS_TOKEN_PEPPER_ID,
          currentSecret: config.CUSTOS_TOKEN_PEPPER,
          previous: config.CUSTOS_TOKEN_PEPPERS_PREVIOUS,
        }),
      },
      { provide: SecretBox, useValue: new SecretBox(config.CUSTOS_MASTER_KEY) },
      WorkerInvalidationPublisher,
      { provide: INVALIDATION_PUBLISHER, useExisting: WorkerInvalidationPublisher },
      AuditSealer,
      AuditLog,
      PolicyService,
      TokenCache,
      TokenIssuer,
      InstallationService,
      SuccessorPickup,
      ...TOKEN_SWEEPS,
      SigningKeys,
      AuditCheckpoints,
      ReportGenerator,
      StaleReports,
      InstallationService,
    ];
    return {
      module: LifecycleModule,
      imports: [
        PersistenceModule.forRoot({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, applicationName: 'custos-worker' }),
      ],
      providers,
      exports: providers.map((p) => ('provide' in p ? p.provide : p)),
    };
  }
}
