/** What the application layer needs from configuration; the composition root provides it. */
export interface ApplicationSettings {
  sessionTtlSeconds: number;
  verifyCacheTtlMs: number;
  usageFlushIntervalMs: number;
}

export const APPLICATION_SETTINGS = Symbol('APPLICATION_SETTINGS');
