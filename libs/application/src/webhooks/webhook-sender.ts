import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type Socket } from 'node:net';
import { addressRefusal, guardedLookup, hostOf } from './webhook-url';

export interface AttemptOutcome {
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  /** Why there is no 2xx answer: connection, timeout, refusal… */
  error?: string;
  durationMs: number;
}

export const isDelivered = (outcome: AttemptOutcome): boolean =>
  outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300;

const MAX_ERROR_LENGTH = 500;

/**
 * POSTs one webhook. Redirects are not followed (a 3xx is a failed attempt): following one would send
 * the request somewhere nobody checked. A fresh connection per attempt (no agent), so every attempt's
 * address goes through the guarded lookup, and the address actually connected to is checked again.
 * Resolves, never rejects: every failure is an outcome to record.
 */
export function postWebhook(
  target: string,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; allowPrivateUrls: boolean },
): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const url = new URL(target);
  const literal = hostOf(url);
  const refusal = isIP(literal) ? addressRefusal(literal, options.allowPrivateUrls) : null;
  if (refusal) return Promise.resolve({ error: refusal, durationMs: 0 });

  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<AttemptOutcome, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Called only from callbacks, which run after req is assigned.
      req.destroy();
      const error = outcome.error === undefined ? {} : { error: outcome.error.slice(0, MAX_ERROR_LENGTH) };
      resolve({ ...outcome, ...error, durationMs: elapsed() });
    };
    const timer = setTimeout(() => finish({ error: `no answer within ${options.timeoutMs} ms` }), options.timeoutMs);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req: ClientRequest = send(
      url,
      {
        method: 'POST',
        agent: false,
        lookup: guardedLookup(options.allowPrivateUrls),
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Custos-Webhooks/1',
        },
      },
      (res) => {
        // The status is all we need; the body is not read (a receiver could send gigabytes).
        finish(res.statusCode && res.statusCode >= 300 && res.statusCode < 400
          ? { status: res.statusCode, error: 'redirects are not followed' }
          : { status: res.statusCode ?? 0 });
      },
    );
    req.on('error', (error: Error) => finish({ error: error.message || String(error) }));
    req.on('socket', (socket: Socket) => {
      socket.once('connect', () => {
        const connected = socket.remoteAddress;
        const refused = connected ? addressRefusal(connected, options.allowPrivateUrls) : null;
        if (refused) finish({ error: refused });
      });
    });
    req.end(body);
  });
}
