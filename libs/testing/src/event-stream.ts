import type { ApiClient } from './api-client';

/** One Server-Sent Event as a client reads it. */
export interface StreamedEvent {
  id: string | undefined;
  event: string;
  data: unknown;
  /** When the test read it (performance.now()). */
  receivedAt: number;
}

export interface EventStream {
  status: number;
  events: StreamedEvent[];
  /** The first event read (or already read) from here on that matches, within the time. */
  next(match: (event: StreamedEvent) => boolean, timeoutMs?: number): Promise<StreamedEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/**
 * GET /v1/events/stream (or another SSE path) as a client that reads every event, parsed by the
 * text/event-stream rules this test needs: `id:`, `event:`, `data:` lines, a blank line ends an event.
 */
export async function openEventStream(client: ApiClient, path = '/v1/events/stream', headers: Record<string, string> = {}): Promise<EventStream> {
  const abort = new AbortController();
  const response = await fetch(client.baseUrl + path, {
    headers: { accept: 'text/event-stream', ...(client.auth.bearer ? { authorization: `Bearer ${client.auth.bearer}` } : {}), ...headers },
    signal: abort.signal,
  });
  const events: StreamedEvent[] = [];
  const waiters = new Set<() => void>();
  let finished = false;
  const ended = (async () => {
    if (!response.body || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = parseBlock(block);
          if (event) events.push(event);
        }
        for (const wake of waiters) wake();
      }
    } catch {
      // Aborted by close().
    } finally {
      finished = true;
      for (const wake of waiters) wake();
    }
  })();
  let read = 0;
  return {
    status: response.status,
    events,
    ended,
    close: () => abort.abort(),
    async next(match, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        for (; read < events.length; read++) {
          if (match(events[read]!)) return events[read++]!;
        }
        if (finished) throw new Error(`the stream ended; events: ${JSON.stringify(events)}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms; events: ${JSON.stringify(events)}`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, left);
          waiters.add(wake);
        });
      }
    },
  };
}

function parseBlock(block: string): StreamedEvent | undefined {
  let id: string | undefined;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0 && id === undefined) return undefined;
  const text = data.join('\n');
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { id, event, data: parsed, receivedAt: performance.now() };
}
