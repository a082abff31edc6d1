export interface RestartLimits {
  /** Wait before starting a crashed child again after its first crash in the window. */
  initialBackoffMs: number;
  /** The wait doubles with each further crash in the window, up to this. */
  maxBackoffMs: number;
  /** This many crashes of one child within windowMs, and the launcher gives up. */
  maxCrashes: number;
  windowMs: number;
}

/**
 * A child that crashes now and then is started again after half a second; one that crashes again and
 * again (bad configuration, a corrupt file, a bug hit at every start) is not retried forever: after the
 * 5th crash within a minute the launcher stops everything and says why. Documented in docs/configuration.md.
 */
export const RESTART_LIMITS: RestartLimits = {
  initialBackoffMs: 500,
  maxBackoffMs: 10_000,
  maxCrashes: 5,
  windowMs: 60_000,
};

export type RestartDecision =
  | { restart: true; delayMs: number; crashesInWindow: number }
  | { restart: false; crashesInWindow: number };

/** The crash history of one child, and what to do about its latest crash. Time is passed in, never read. */
export class RestartPolicy {
  private crashes: number[] = [];

  constructor(private readonly limits: RestartLimits = RESTART_LIMITS) {}

  onCrash(now: number): RestartDecision {
    this.crashes = [...this.crashes.filter((at) => now - at < this.limits.windowMs), now];
    const crashesInWindow = this.crashes.length;
    if (crashesInWindow >= this.limits.maxCrashes) return { restart: false, crashesInWindow };
    const delayMs = Math.min(this.limits.maxBackoffMs, this.limits.initialBackoffMs * 2 ** (crashesInWindow - 1));
    return { restart: true, delayMs, crashesInWindow };
  }
}
