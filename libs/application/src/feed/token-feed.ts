import type { FeedEventName, TenantFeedEvent, TokenFeedEvent } from '@custos/contracts';

/** One event of a tenant's feed, as stored: its id orders the feed and is what a client resumes from. */
export interface FeedEntry {
  id: string;
  event: Extract<FeedEventName, 'token' | 'tenant'>;
  data: TokenFeedEvent | TenantFeedEvent;
}

export type NewFeedEntry = Omit<FeedEntry, 'id'>;

/** What a connected client is told. */
export interface FeedListener {
  entry(entry: FeedEntry): void;
  /**
   * Its backlog was given: from here on it hears every new event. `cursor` is the id it stands at (the
   * last event given, or where it started), which heartbeats repeat so that a client resumes from it.
   */
  caughtUp(cursor: string): void;
  /** It asked to resume from an event no longer kept: it must drop everything it cached. Carries on from `cursor`. */
  reset(cursor: string): void;
  /** This instance can no longer promise to deliver every event: the client must reconnect. */
  end(): void;
}

export interface FeedSubscription {
  /** The id of the last event given, once caught up. */
  readonly cursor: string | undefined;
  close(): void;
}

/**
 * The tenants' event feeds, shared by every api and worker process: appended to after a change commits,
 * followed by the api instances' connected clients (`GET /v1/events/stream`) from any instance.
 */
export interface TokenFeed {
  append(tenantId: string, entries: readonly NewFeedEntry[]): Promise<void>;
  /** Whether `follow` can deliver every event from now on (its connection to the store is up). */
  readonly following: boolean;
  /**
   * Delivers the tenant's events after `lastEventId` (or from now), then every new one, until closed or
   * ended. Throws FeedUnavailable when `following` is false.
   */
  follow(tenantId: string, lastEventId: string | undefined, listener: FeedListener): FeedSubscription;
}
export const TOKEN_FEED = Symbol('TOKEN_FEED');
