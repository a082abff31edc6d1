/** What a subscriber is told: each message, and whether it can currently hear every message. */
export interface ChannelListener {
  message(raw: string): void;
  /** Listening (again): from now on no message is missed. */
  subscribed(): void;
  /** Messages may be missed from now until the next subscribed(). */
  lost(): void;
}

/**
 * The broadcast that keeps the api instances' token caches in step: Redis pub/sub, or Postgres
 * LISTEN/NOTIFY when the queues run on the database (CUSTOS_QUEUE_BACKEND).
 */
export interface InvalidationChannel {
  /** Resolves once the broker has taken the message; rejects when it cannot. */
  publish(raw: string): Promise<void>;
  /** The largest message it carries, in bytes (Postgres: a NOTIFY payload is under 8000). */
  readonly maxMessageBytes: number;
  subscribe(listener: ChannelListener): void;
  close(): Promise<void>;
}
