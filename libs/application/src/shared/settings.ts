/** What the application layer needs from configuration; the composition root provides it. */
export interface ApplicationSettings {
  sessionTtlSeconds: number;
  verifyCacheTtlMs: number;
  usageFlushIntervalMs: number;
  /** Every log-in answer waits at least this long, so timing tells nothing about the account. */
  loginMinResponseMs: number;
}

export const APPLICATION_SETTINGS = Symbol('APPLICATION_SETTINGS');
