import { Injectable, type Type } from '@nestjs/common';
import { TokenSweeper, type SweepKind } from '@custos/application';
import type { JobName } from '@custos/contracts';
import type { JobHandler } from './job-handler';

/** A job that runs one kind of token sweep over every tenant; it answers with how many tokens it handled. */
function sweepHandler<N extends JobName>(jobName: N, kind: SweepKind): Type<JobHandler<N>> {
  @Injectable()
  class SweepHandler implements JobHandler<N> {
    readonly jobName = jobName;

    constructor(private readonly sweeper: TokenSweeper) {}

    async handle(): Promise<{ handled: number }> {
      return { handled: await this.sweeper.sweep(kind) };
    }
  }
  // Nest names providers after their class; keep them apart in errors and logs.
  Object.defineProperty(SweepHandler, 'name', { value: `SweepHandler(${jobName})` });
  return SweepHandler;
}

export const TokenExpiryHandler = sweepHandler('tokens.expire', 'expire');
const GraceEndHandler = sweepHandler('tokens.end_grace', 'grace_end');
const ScheduledRotationHandler = sweepHandler('tokens.rotate', 'rotate');
const ExpiryNoticeHandler = sweepHandler('tokens.notify_expiring', 'expiry_notice');
const UnusedTokenHandler = sweepHandler('tokens.check_unused', 'unused');
const ConsentEndHandler = sweepHandler('consents.end_windows', 'consent_end');

export const TOKEN_SWEEP_HANDLERS = [
  TokenExpiryHandler, GraceEndHandler, ScheduledRotationHandler, ExpiryNoticeHandler, UnusedTokenHandler, ConsentEndHandler,
];
