import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Bodies sent in turn, one per request, instead of `body`. */
  bodies?: readonly string[];
  connections: number;
  pipelining: number;
  /** Run for this long (seconds)... */
  durationSeconds?: number;
  /** ...or until this many responses (then `maxSeconds` still bounds it). */
  amount?: number;
  /** Hard stop, whatever happens. */
  maxSeconds: number;
}

export interface LoadResult {
  /** Responses with a 2xx status. */
  ok: number;
  responses: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  /** 2xx responses per second over the whole run. */
  rps: number;
  latencyMs: { p50: number; p99: number; max: number; mean: number };
  statusCodes: Record<string, number>;
}

export const TIMEOUT_SECONDS = 30;

/** A setupRequest that gives each request the next of `bodies`, round and round. */
function inTurn(bodies: readonly string[]): (request: autocannon.Request) => autocannon.Request {
  let next = 0;
  return (request) => {
    request.body = bodies[next]!;
    next = (next + 1) % bodies.length;
    return request;
  };
}

/** One autocannon run, in this process, bounded in count and time. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const started = performance.now();
  let lastResponseAt = started;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const deadline: { timer?: NodeJS.Timeout } = {};
    const instance = autocannon(
      {
        url: options.url,
        method: options.method,
        headers: options.headers ?? {},
        ...(options.bodies ? { requests: [{ setupRequest: inTurn(options.bodies) }] } : { body: options.body }),
        connections: options.connections,
        pipelining: options.pipelining,
        ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.durationSeconds ?? 10 }),
        // Long enough that a slow server's tail shows up in the latencies instead of as timeouts.
        timeout: TIMEOUT_SECONDS,
      },
      (error: unknown, res: autocannon.Result) => {
        clearTimeout(deadline.timer);
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve(res);
      },
    );
    deadline.timer = setTimeout(() => instance.stop(), options.maxSeconds * 1000);
    if (options.amount !== undefined) instance.on('response', () => (lastResponseAt = performance.now()));
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0;
  const ok = result['2xx'];
  // autocannon ends a run bounded by `amount` at its next one-second tick after the last answer, so its
  // duration counts up to a second of idle tail: 3,000 issues came out as 499/s or 428/s (3000 ÷ 6.01
  // or ÷ 7.01) whatever they took.
  const seconds = options.amount !== undefined ? (lastResponseAt - started) / 1000 : result.duration;
  return {
    ok,
    responses: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds,
    rps: seconds > 0 ? ok / seconds : 0,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max, mean: result.latency.mean },
    statusCodes,
  };
}
