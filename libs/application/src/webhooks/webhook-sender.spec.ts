import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDelivered, postWebhook } from './webhook-sender';

/** The sender against a real HTTP server on 127.0.0.1. */
describe('postWebhook', () => {
  let server: Server;
  let port: number;
  let status = 204;
  let delayMs = 0;
  const seen: Array<{ headers: IncomingHttpHeaders; body: string; url: string | undefined }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ headers: req.headers, body, url: req.url });
        setTimeout(() => res.writeHead(status, status === 302 ? { location: 'http://127.0.0.1/elsewhere' } : {}).end(), delayMs);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  beforeEach(() => {
    seen.length = 0;
    status = 204;
    delayMs = 0;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const send = (url: string, allowPrivateUrls = true, timeoutMs = 2000) =>
    postWebhook(url, { 'webhook-id': 'msg_1' }, '{"type":"token.revoked"}', { timeoutMs, allowPrivateUrls });

  it('POSTs the body with its headers and reports a 2xx as delivered', async () => {
    const outcome = await send(`http://127.0.0.1:${port}/hook`);
    expect(outcome).toEqual({ status: 204, durationMs: expect.any(Number) });
    expect(isDelivered(outcome)).toBe(true);
    expect(seen[0]).toMatchObject({
      url: '/hook',
      body: '{"type":"token.revoked"}',
      headers: { 'webhook-id': 'msg_1', 'content-type': 'application/json', 'user-agent': 'Custos-Webhooks/1' },
    });
  });

  it('reports other statuses as failed attempts and does not follow redirects', async () => {
    status = 500;
    expect(isDelivered(await send(`http://127.0.0.1:${port}/hook`))).toBe(false);
    status = 302;
    const redirected = await send(`http://127.0.0.1:${port}/hook`);
    expect(redirected).toMatchObject({ status: 302, error: 'redirects are not followed' });
    expect(seen.map((s) => s.url)).toEqual(['/hook', '/hook']);
  });

  it('gives up on a receiver that does not answer in time', async () => {
    delayMs = 1000;
    const outcome = await send(`http://127.0.0.1:${port}/slow`, true, 200);
    expect(outcome).toMatchObject({ error: 'no answer within 200 ms' });
    expect(outcome.durationMs).toBeLessThan(900);
  });

  it('reports a refused connection as an error', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect(await send(`http://127.0.0.1:${freePort}/`)).toMatchObject({ error: expect.stringContaining('ECONNREFUSED') });
  });

  describe('with private targets not allowed', () => {
    it('refuses a literal private address without connecting', async () => {
      const outcome = await send(`http://127.0.0.1:${port}/hook`, false);
      expect(outcome).toEqual({ error: 'refused: the host resolves to a loopback address', durationMs: 0 });
      expect(seen).toHaveLength(0);
    });

    it('refuses a name that resolves to a private address at delivery time (DNS rebinding)', async () => {
      const outcome = await send(`http://localhost:${port}/hook`, false);
      expect(outcome.error).toMatch(/^refused: the host resolves to a loopback address/);
      expect(seen).toHaveLength(0);
    });

    it('refuses IPv6 loopback and IPv4-mapped forms', async () => {
      expect((await send(`http://[::1]:${port}/`, false)).error).toMatch(/loopback/);
      expect((await send(`http://[::ffff:127.0.0.1]:${port}/`, false)).error).toMatch(/loopback/);
      expect(seen).toHaveLength(0);
    });
  });
});
