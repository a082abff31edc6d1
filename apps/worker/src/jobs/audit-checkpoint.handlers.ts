import { Inject, Injectable } from '@nestjs/common';
import { AuditCheckpoints, SigningKeys } from '@custos/application';
import type { CustosConfig } from '@custos/runtime';
import { WORKER_CONFIG } from '../worker-config';
import type { JobHandler } from './job-handler';

/** Signs every tenant whose chain grew CUSTOS_CHECKPOINT_EVERY_EVENTS past its latest checkpoint, or whose latest is CUSTOS_CHECKPOINT_INTERVAL_MS old. */
@Injectable()
export class AuditCheckpointHandler implements JobHandler<'audit.checkpoint'> {
  readonly jobName = 'audit.checkpoint' as const;

  constructor(
    private readonly checkpoints: AuditCheckpoints,
    @Inject(WORKER_CONFIG) private readonly config: CustosConfig,
  ) {}

  async handle(): Promise<{ signed: number }> {
    const { CUSTOS_CHECKPOINT_EVERY_EVENTS: everyEvents, CUSTOS_CHECKPOINT_INTERVAL_MS: maxAgeMs } = this.config;
    return { signed: await this.checkpoints.signDue({ everyEvents: everyEvents || null, maxAgeMs: maxAgeMs || null }) };
  }
}

@Injectable()
export class SigningKeyRotationHandler implements JobHandler<'signing_keys.rotate'> {
  readonly jobName = 'signing_keys.rotate' as const;

  constructor(
    private readonly keys: SigningKeys,
    @Inject(WORKER_CONFIG) private readonly config: CustosConfig,
  ) {}

  async handle(): Promise<{ rotated: number }> {
    return { rotated: await this.keys.rotateOld(this.config.CUSTOS_SIGNING_KEY_ROTATION_DAYS) };
  }
}
