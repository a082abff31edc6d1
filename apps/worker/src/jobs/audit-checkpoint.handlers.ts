import { Inject, Injectable } from '@nestjs/common';
import { AuditCheckpoints, SigningKeys } from '@custos/application';
import type { CustosConfig } from '@custos/runtime';
import { WORKER_CONFIG } from '../worker-config';
import type { JobHandler } from './job-handler';

@Injectable()
export class AuditCheckpointHandler implements JobHandler<'audit.checkpoint'> {
  readonly jobName = 'audit.checkpoint' as const;

  constructor(private readonly checkpoints: AuditCheckpoints) {}

  async handle(): Promise<{ signed: number }> {
    return { signed: await this.checkpoints.signMoved() };
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
