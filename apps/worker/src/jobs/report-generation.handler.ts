import { Injectable } from '@nestjs/common';
import { ReportGenerator } from '@custos/application';
import type { JobPayloads } from '@custos/contracts';
import type { JobHandler } from './job-handler';

@Injectable()
export class ReportGenerationHandler implements JobHandler<'reports.generate'> {
  readonly jobName = 'reports.generate' as const;

  constructor(private readonly generator: ReportGenerator) {}

  async handle(payload: JobPayloads['reports.generate']): Promise<Record<string, unknown>> {
    return { ...(await this.generator.generate(payload.tenantId, payload.reportId)) };
  }
}
