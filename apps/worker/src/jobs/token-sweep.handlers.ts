import { Injectable } from '@nestjs/common';
import { TokenSweeper } from '@custos/application';
import type { JobHandler } from './job-handler';

@Injectable()
export class TokenExpiryHandler implements JobHandler<'tokens.expire'> {
  readonly jobName = 'tokens.expire' as const;

  constructor(private readonly sweeper: TokenSweeper) {}

  async handle(): Promise<{ expired: number }> {
    return { expired: await this.sweeper.sweep('expire') };
  }
}

@Injectable()
export class GraceEndHandler implements JobHandler<'tokens.end_grace'> {
  readonly jobName = 'tokens.end_grace' as const;

  constructor(private readonly sweeper: TokenSweeper) {}

  async handle(): Promise<{ completed: number }> {
    return { completed: await this.sweeper.sweep('grace_end') };
  }
}
