import type { JobName } from '@custos/contracts';
import type { CustosConfig } from '@custos/runtime';

export interface Schedule {
  /** Job scheduler id: one per schedule, so restarts and several workers upsert, never duplicate. */
  id: string;
  jobName: JobName;
  everyMs: number;
}

/** Every periodic job, in one place. */
export function schedules(config: CustosConfig): Schedule[] {
  return [
    { id: 'audit-seal', jobName: 'audit.seal', everyMs: config.CUSTOS_AUDIT_SEAL_INTERVAL_MS },
    { id: 'tokens-expire', jobName: 'tokens.expire', everyMs: config.CUSTOS_SWEEP_INTERVAL_MS },
    { id: 'tokens-end-grace', jobName: 'tokens.end_grace', everyMs: config.CUSTOS_SWEEP_INTERVAL_MS },
  ];
}
