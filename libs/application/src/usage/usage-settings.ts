/** Usage event settings from configuration; the api and worker provide them (see docs/configuration.md). */
export interface UsageSettings {
  /** How often buffered events are written (CUSTOS_USAGE_FLUSH_INTERVAL_MS). */
  flushIntervalMs: number;
  /** The most events held while they wait to be written; more are dropped and counted (CUSTOS_USAGE_BUFFER_MAX). */
  bufferMax: number;
  /** The most events of one tenant in one INSERT; this many waiting starts a write before the interval is up. */
  batchMax: number;
  /** No events at all (CUSTOS_USAGE_EVENTS=off). */
  off?: boolean | undefined;
}

export const USAGE_SETTINGS = Symbol('USAGE_SETTINGS');

/** Rows per statement: large enough to keep round trips rare, small enough for one short transaction. */
export const USAGE_BATCH_MAX = 5000;
