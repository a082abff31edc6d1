import { Module, type DynamicModule } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { AuditLog, AuditSealer, TokenSweeper } from '@custos/application';
import { QUEUES } from '@custos/contracts';
import { PersistenceModule } from '@custos/persistence';
import { createPinoOptions, type CustosConfig } from '@custos/runtime';
import { LoggerModule } from 'nestjs-pino';
import { AuditSealHandler } from './jobs/audit-seal.handler';
import { GraceEndHandler, TokenExpiryHandler } from './jobs/token-sweep.handlers';
import { JOB_HANDLERS, type JobHandler } from './jobs/job-handler';
import { MaintenanceProcessor } from './jobs/maintenance.processor';
import { WORKER_CONFIG } from './worker-config';
import { WorkerHeartbeat } from './worker-heartbeat';

const HANDLERS = [AuditSealHandler, TokenExpiryHandler, GraceEndHandler];

/** The worker: no HTTP server, just BullMQ processors and their schedules. */
@Module({})
export class WorkerModule {
  static forRoot(config: CustosConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        LoggerModule.forRoot({ pinoHttp: createPinoOptions(config) }),
        PersistenceModule.forRoot({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, applicationName: 'custos-worker' }),
        BullModule.forRoot({
          // Options, not a client: BullMQ then owns its connections and closes them on shutdown.
          connection: { url: config.REDIS_URL, connectionName: 'custos-worker' },
          prefix: config.CUSTOS_QUEUE_PREFIX,
        }),
        BullModule.registerQueue({ name: QUEUES.maintenance }),
      ],
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        AuditSealer,
        AuditLog,
        TokenSweeper,
        ...HANDLERS,
        { provide: JOB_HANDLERS, useFactory: (...handlers: JobHandler[]) => handlers, inject: HANDLERS },
        MaintenanceProcessor,
        WorkerHeartbeat,
      ],
    };
  }
}
