import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from './create-client';
import { parseRetryAfterMs, retryDelayMs } from './retry-policy';

/** Answers each request with the next scripted status (then 200), recording what it was sent. */
async function scriptedServer(statuses: { status: number; retryAfter?: string }[]): Promise<{ server: Server; baseUrl: string; seen: { req: IncomingMessage; body: string; at: number }[] }> {
  const seen: { req: IncomingMessage; body: string; at: number }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ req, body, at: Date.now() });
      const next = statuses.shift() ?? { status: 200 };
      const headers: Record<string, string> = { 'content-type': next.status === 200 ? 'application/json' : 'application/problem+json' };
      if (next.retryAfter !== undefined) headers['retry-after'] = next.retryAfter;
      res.writeHead(next.status, headers).end(next.status === 200 ? JSON.stringify({ status: 'ok' }) : JSON.stringify({ status: next.status }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('createClient', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('sends the service key and retries a 429 after the Retry-After it was given', async () => {
    const scripted = await scriptedServer([{ status: 429, retryAfter: '1' }]);
    server = scripted.server;
    const client = createClient({ baseUrl: scripted.baseUrl, serviceKey: 'svc_key' });

    const { data, response } = await client.GET('/health/live');

    expect(response.status).toBe(200);
    expect(data).toEqual({ status: 'ok' });
    expect(scripted.seen).toHaveLength(2);
    expect(scripted.seen[1]!.at - scripted.seen[0]!.at).toBeGreaterThanOrEqual(950);
    expect(scripted.seen.map((s) => s.req.headers.authorization)).toEqual(['Bearer svc_key', 'Bearer svc_key']);
  });

  it('retries a POST answered 503 with its body intact: the request was not processed', async () => {
    const scripted = await scriptedServer([{ status: 503, retryAfter: new Date(Date.now() - 1000).toUTCString() }]);
    server = scripted.server;
    const client = createClient({ baseUrl: scripted.baseUrl, serviceKey: 'svc_key' });

    const { response } = await client.POST('/v1/verify', { body: { token: 'cus_test_x', scopes: ['a'] } });

    expect(response.status).toBe(200);
    expect(scripted.seen.map((s) => JSON.parse(s.body) as unknown)).toEqual([
      { token: 'cus_test_x', scopes: ['a'] },
      { token: 'cus_test_x', scopes: ['a'] },
    ]);
  });

  it('gives up after the bounded number of attempts and hands back the last answer', async () => {
    const scripted = await scriptedServer([{ status: 503, retryAfter: '0' }, { status: 503, retryAfter: '0' }, { status: 503, retryAfter: '0' }]);
    server = scripted.server;
    const client = createClient({ baseUrl: scripted.baseUrl, serviceKey: 'svc_key', retries: 2 });

    const { response, error } = await client.GET('/health/live');

    expect(response.status).toBe(503);
    expect(error).toEqual({ status: 503 });
    expect(scripted.seen).toHaveLength(2);
  });

  it('does not retry other errors', async () => {
    const scripted = await scriptedServer([{ status: 500 }]);
    server = scripted.server;
    const { response } = await createClient({ baseUrl: scripted.baseUrl, serviceKey: 'k' }).GET('/health/live');
    expect(response.status).toBe(500);
    expect(scripted.seen).toHaveLength(1);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-12-04T00:00:00Z');
  const policy = { attempts: 3, maxDelayMs: 30_000 };

  it('reads delta seconds and HTTP dates', () => {
    expect(parseRetryAfterMs('7', now)).toBe(7000);
    expect(parseRetryAfterMs('Fri, 04 Dec 2026 00:00:12 GMT', now)).toBe(12_000);
    expect(parseRetryAfterMs('Thu, 03 Dec 2026 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeNull();
  });

  it('never waits longer than the cap', () => {
    expect(retryDelayMs('3600', 0, policy, now)).toBe(30_000);
    expect(retryDelayMs(null, 20, policy, now)).toBe(30_000);
    expect(retryDelayMs(null, 0, policy, now)).toBeLessThanOrEqual(250);
  });
});
