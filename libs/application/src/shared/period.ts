import type { FieldError } from '@custos/contracts';

/** A period of time, `from` inclusive, `to` exclusive. */
export interface Period {
  from: Date;
  to: Date;
}

const DAY_MS = 86_400_000;

/** What is wrong with a period that must end after it starts and span at most `maxDays` days (any span when not given), as field errors. */
export function periodErrors(period: Period, maxDays = Infinity): FieldError[] {
  if (!(period.to > period.from)) return [{ field: 'to', message: 'must be after from' }];
  if (period.to.getTime() - period.from.getTime() > maxDays * DAY_MS) return [{ field: 'from', message: `the period may span at most ${maxDays} days` }];
  return [];
}
