import { Module, type DynamicModule } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { QUEUES, type RedisKeys } from '@custos/contracts';
import { createPinoOptions, queueConnection, type CustosConfig } from '@custos/runtime';
import { LoggerModule } from 'nestjs-pino';
import { AuditCheckpointHandler, SigningKeyRotationHandler } from './jobs/audit-checkpoint.handlers';
import { AuditSealHandler } from './jobs/audit-seal.handler';
import { TOKEN_SWEEP_HANDLERS } from './jobs/token-sweep.handlers';
import { JOB_HANDLERS, type JobHandler } from './jobs/job-handler';
import { MaintenanceProcessor } from './jobs/maintenance.processor';
import { ReportGenerationHandler } from './jobs/report-generation.handler';
import { ReportRequeueHandler } from './jobs/report-requeue.handler';
import { ReportsProcessor } from './jobs/reports.processor';
import { UsagePartitionsHandler } from './jobs/usage-partitions.handler';
import { AccessReviewsHandler } from './jobs/access-reviews.handler';
import { WebhookDeliveryHandler } from './jobs/webhook-delivery.handler';
import { LifecycleModule } from './lifecycle.module';
import { WorkerHeartbeat } from './worker-heartbeat';
import { AlertPump } from './alert-pump';

const HANDLERS = [
  AuditSealHandler,
  ...TOKEN_SWEEP_HANDLERS,
  WebhookDeliveryHandler,
  AuditCheckpointHandler,
  SigningKeyRotationHandler,
  ReportRequeueHandler,
  UsagePartitionsHandler,
  AccessReviewsHandler,
];

/** The worker: no HTTP server, just BullMQ processors and their schedules. */
@Module({})
export class WorkerModule {
  static forRoot(config: CustosConfig, redisKeys: RedisKeys): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        LoggerModule.forRoot({ pinoHttp: createPinoOptions(config) }),
        LifecycleModule.forRoot(config, redisKeys),
        BullModule.forRoot({
          // Options, not a client: BullMQ then owns its connections and closes them on shutdown.
          connection: queueConnection(config, 'custos-worker', {
            // BullMQ's default backs off to 20 s between reconnects; after an outage, resume within 2 s.
            retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
          }),
          prefix: redisKeys.queuePrefix,
        }),
        BullModule.registerQueue({ name: QUEUES.maintenance }, { name: QUEUES.reports }),
      ],
      providers: [
        ...HANDLERS,
        { provide: JOB_HANDLERS, useFactory: (...handlers: JobHandler[]) => handlers, inject: HANDLERS },
        MaintenanceProcessor,
        ReportGenerationHandler,
        ReportsProcessor,
        WorkerHeartbeat,
        AlertPump,
      ],
    };
  }
}

