import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { SECURITY_HEADERS } from '../../apps/api/src/http/security-headers';
import { verifyWork, type VerifyBody } from './verify-work';

/**
 * Baseline 3: the same verify work (verify-work.ts) on node:http itself: no framework, no schema, no
 * hooks, the body read and parsed by hand. No implementation of verify can do less per request, so
 * its rate against the hello-world is the ceiling of the verify ratio on this machine.
 */
const work = verifyWork();
const LIMIT = 64 * 1024;
/**
 * BENCH_API_HEADERS=1 (the node-verify+headers baseline): also the headers every api answer carries, the
 * security headers, a request id and cache-control: what the same work costs once it answers as the api must.
 */
const apiHeaders = process.env.BENCH_API_HEADERS === '1';

const server = createServer((req, res) => {
  const reply = (status: number, body: object): void => {
    const text = JSON.stringify(body);
    const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) };
    res.writeHead(status, apiHeaders ? { ...SECURITY_HEADERS, 'x-request-id': randomUUID(), 'cache-control': 'no-store', ...headers } : headers);
    res.end(text);
  };
  if (req.method === 'GET' && req.url === '/health') return reply(200, { status: 'ok' });
  if (req.method !== 'POST' || req.url !== '/v1/verify') return reply(404, { status: 404 });
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= LIMIT) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > LIMIT) return reply(413, { status: 413 });
    let body: VerifyBody;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as VerifyBody;
    } catch {
      return reply(400, { status: 400 });
    }
    const answer = work(req.headers.authorization, body, req.socket.remoteAddress);
    reply(answer.status, answer.body);
  });
});
server.keepAliveTimeout = 72_000;
const close = (): void => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once('SIGTERM', close);
process.once('SIGINT', close);
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
