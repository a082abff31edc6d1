import { Injectable } from '@nestjs/common';
import { AuditSealer } from '@custos/application';
import type { JobHandler } from './job-handler';

@Injectable()
export class AuditSealHandler implements JobHandler<'audit.seal'> {
  readonly jobName = 'audit.seal' as const;

  constructor(private readonly sealer: AuditSealer) {}

  async handle(): Promise<{ sealed: number }> {
    return { sealed: await this.sealer.sealAll() };
  }
}
