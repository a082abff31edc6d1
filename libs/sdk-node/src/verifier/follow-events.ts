import type { EventSourceMessage } from 'eventsource-parser';
import type { FetchRequest } from '../client/retrying-fetch';
import { TokenFeed } from './token-feed';
import type { FeedState } from './verify-types';

export interface FeedMessage {
  /** `token`, `tenant`, `reset` or `heartbeat` (docs/api.md, "The events feed"). */
  event: string;
  id: string | undefined;
  data: unknown;
}

export interface FollowEventsOptions {
  baseUrl: string;
  serviceKey: string;
  fetch?: FetchRequest;
  heartbeatMs?: number;
  reconnectMaxMs?: number;
  onError?: (error: unknown) => void;
}

export interface EventFollower {
  readonly state: FeedState;
  close(): Promise<void>;
}

/**
 * Follows the events feed and hands every event on, reconnecting and resuming from the last event id
 * as the verifier does: for tools that show or forward the feed rather than keep a cache.
 */
export function followEvents(options: FollowEventsOptions, onEvent: (message: FeedMessage) => void): EventFollower {
  const send = options.fetch ?? ((request: Request) => fetch(request));
  const feed = new TokenFeed(
    { baseUrl: options.baseUrl.replace(/\/+$/, ''), serviceKey: options.serviceKey, fetch: send },
    { evict: () => undefined, dropAll: () => undefined, event: (message: EventSourceMessage) => onEvent({ event: message.event ?? 'message', id: message.id, data: parsed(message.data) }) },
    { heartbeatMs: options.heartbeatMs ?? 15_000, reconnectMaxMs: options.reconnectMaxMs ?? 5000, onError: options.onError ?? (() => undefined) },
  );
  return {
    get state() {
      return feed.feedState;
    },
    close: () => feed.close(),
  };
}

function parsed(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}
