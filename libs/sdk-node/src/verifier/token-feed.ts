import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { FEED_EVENT_NAMES, type TokenFeedEvent, type TokenFeedKind } from '@custos/contracts';
import { type CustosEndpoint, endpointRequest } from './custos-endpoint';
import { CustosRequestError, type FeedState } from './verify-types';

export interface FeedListener {
  /** One token changed (`kind`): drop what is cached of it, or keep it as a refusal when the change is final. */
  evict(lookupId: string, kind: TokenFeedKind): void;
  /** Anything cached may be wrong: a tenant-wide change, a reset, or a (re)connection after a gap. */
  dropAll(): void;
  /** Every event as it arrives, heartbeats included (for readers of the feed itself, e.g. `custos events tail`). */
  event?(message: EventSourceMessage): void;
}

export interface TokenFeedOptions {
  heartbeatMs: number;
  reconnectMaxMs: number;
  onError: (error: unknown) => void;
}

const RECONNECT_BASE_MS = 100;
const CLOSE_WAIT_MS = 2000;

/**
 * Follows `GET /v1/events/stream` (Server-Sent Events) for as long as it is open, reconnecting with jittered
 * backoff and resuming from the last event id. It is `live` only while connected and heard from within two
 * heartbeats: the cache may answer only then.
 */
export class TokenFeed {
  private state: FeedState = 'connecting';
  private lastHeardAt = 0;
  private lastEventId: string | undefined;
  private connection: AbortController | null = null;
  private closed = false;
  private failures = 0;
  private wake: (() => void) | null = null;
  private readonly watchdog: NodeJS.Timeout;
  private readonly running: Promise<void>;

  constructor(
    private readonly endpoint: CustosEndpoint,
    private readonly listener: FeedListener,
    private readonly options: TokenFeedOptions,
  ) {
    // A connection that went quiet may be half open (no FIN ever arrives): cut it and dial again.
    this.watchdog = setInterval(() => {
      if (this.state === 'connected' && !this.heardRecently()) this.connection?.abort(new Error('feed silent for two heartbeats'));
    }, Math.max(10, options.heartbeatMs / 4));
    this.watchdog.unref();
    this.running = this.run();
  }

  get live(): boolean {
    return this.state === 'connected' && this.heardRecently();
  }

  get feedState(): FeedState {
    if (this.state === 'connected' && !this.heardRecently()) return 'down';
    return this.state;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    this.connection?.abort(new Error('verifier closed'));
    this.wake?.();
    // The loop ends as soon as the aborted connection unwinds; never let a stuck socket hold up a shutdown.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)))]);
    clearTimeout(timer);
    this.state = 'down';
  }

  private heardRecently(): boolean {
    return Date.now() - this.lastHeardAt <= 2 * this.options.heartbeatMs;
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      try {
        await this.follow();
      } catch (error) {
        if (!this.closed) this.options.onError(error);
      }
      if (this.closed) break;
      this.state = this.failures > 0 ? 'down' : 'connecting';
      await this.backoff();
    }
    this.state = 'down';
  }

  private async follow(): Promise<void> {
    const connection = (this.connection = new AbortController());
    const headers: Record<string, string> = { accept: 'text/event-stream', 'cache-control': 'no-cache' };
    if (this.lastEventId !== undefined) headers['last-event-id'] = this.lastEventId;
    this.state = 'connecting';
    this.failures++;
    const response = await this.endpoint.fetch(endpointRequest(this.endpoint, '/v1/events/stream', { headers, signal: connection.signal }));
    if (this.closed) {
      // Closed while the connection was being made: the abort may have come too late to stop it.
      await response.body?.cancel();
      return;
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new CustosRequestError(response.status, 'the events feed refused the connection');
    }
    // Whatever happened while we were away is unknown: start from an empty cache.
    this.listener.dropAll();
    this.state = 'connected';
    // Connecting proves the server was up a moment ago; the backoff is reset only once it says something.
    this.lastHeardAt = Date.now();

    const parser = createParser({ onEvent: (message) => this.onMessage(message) });
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } finally {
      // Cancelling the body lets go of its socket, which an aborted read alone leaves open (and keeps a process alive).
      await reader.cancel().catch(() => undefined);
      reader.releaseLock();
      // Until the next connection is up, nothing says the cache is current.
      this.state = 'connecting';
      this.listener.dropAll();
    }
  }

  private onMessage(message: EventSourceMessage): void {
    this.lastHeardAt = Date.now();
    this.failures = 0;
    if (message.id !== undefined) this.lastEventId = message.id;
    this.listener.event?.(message);
    switch (message.event) {
      case FEED_EVENT_NAMES.token: {
        const event = parseTokenEvent(message.data);
        // An event we cannot read might have named any token: assume the worst.
        if (event) this.listener.evict(event.lookupId, event.kind);
        else this.listener.dropAll();
        return;
      }
      case FEED_EVENT_NAMES.tenant:
      case FEED_EVENT_NAMES.reset:
        this.listener.dropAll();
        return;
      case undefined:
      default:
        // Unnamed messages, heartbeats, and event names newer than this SDK, only prove the connection is alive.
        return;
    }
  }

  private backoff(): Promise<void> {
    const ceiling = Math.min(this.options.reconnectMaxMs, RECONNECT_BASE_MS * 2 ** Math.min(this.failures, 16));
    const delay = ceiling / 2 + (Math.random() * ceiling) / 2;
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, delay);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function parseTokenEvent(data: string): TokenFeedEvent | null {
  try {
    const event = JSON.parse(data) as Partial<TokenFeedEvent>;
    return typeof event.lookupId === 'string' ? (event as TokenFeedEvent) : null;
  } catch {
    return null;
  }
}
