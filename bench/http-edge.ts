import { generateToken } from '@custos/domain';
import Fastify, { type FastifyReply } from 'fastify';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../apps/api/src/http/json-body';
import { checkRequestText } from '../apps/api/src/http/request-text';
import { SECURITY_HEADERS } from '../apps/api/src/http/security-headers';
import { VerifyDto } from '../apps/api/src/verify/verify.dto';
import { median, round } from './lib/stats';

/**
 * `npm run bench:edge`: what the HTTP edge checks of issue 12 add to each POST /v1/verify
 * (docs/benchmarks.md): the JSON depth check in the parser, the text rules in the handler and helmet's
 * precomputed headers from the onRequest hook, each timed on its own over many calls, next to
 * JSON.parse of the same body for scale. Per-operation timings stay meaningful on a busy machine,
 * where a whole-request A/B drowns in noise; `npm run bench` measures the route end to end.
 */

const body = JSON.stringify({
  token: generateToken('live').raw,
  scopes: ['orders:read', 'orders:write'],
  context: { ip: '203.0.113.7', country: 'DE', resource: '/orders/42' },
});
const parsed: unknown = JSON.parse(body);
const CALLS = 200_000;
const ROUNDS = 5;

/** Median nanoseconds per call over ROUNDS rounds of CALLS calls, after a warm-up. */
function nanosPerCall(work: () => void): number {
  for (let i = 0; i < CALLS / 10; i++) work();
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < CALLS; i++) work();
    rounds.push(Number(process.hrtime.bigint() - started) / CALLS);
  }
  return median(rounds);
}

/** Times header work on a real Fastify reply, inside a handler (the reply cannot be made outside one). */
async function nanosOnReply(work: (reply: FastifyReply) => void): Promise<number> {
  const fastify = Fastify({ logger: false });
  let nanos = Number.NaN;
  fastify.get('/', (_request, reply) => {
    nanos = nanosPerCall(() => work(reply));
    return reply.send({});
  });
  await fastify.inject({ method: 'GET', url: '/' });
  await fastify.close();
  return nanos;
}

async function main(): Promise<void> {
  const timings: Array<[string, number]> = [
    ['JSON.parse of the body (for scale)', nanosPerCall(() => JSON.parse(body))],
    [`nestsDeeperThan(body, ${MAX_JSON_DEPTH})`, nanosPerCall(() => nestsDeeperThan(body, MAX_JSON_DEPTH))],
    ['checkRequestText(body, VerifyDto)', nanosPerCall(() => checkRequestText(parsed, { source: 'body', dto: VerifyDto }))],
    ['reply.header(x-request-id) (for scale)', await nanosOnReply((reply) => void reply.header('x-request-id', 'abc'))],
    [`reply.headers(${Object.keys(SECURITY_HEADERS).length} security headers)`, await nanosOnReply((reply) => void reply.headers(SECURITY_HEADERS))],
  ];
  console.log(`verify body: ${body.length} bytes; median of ${ROUNDS} rounds of ${CALLS.toLocaleString('en')} calls`);
  for (const [what, nanos] of timings) console.log(`${what.padEnd(42)} ${round(nanos / 1000, 3)} µs`);
  const added = timings.slice(1).filter(([what]) => !what.includes('for scale')).reduce((sum, [, nanos]) => sum + nanos, 0);
  console.log(`${'added per verify request'.padEnd(42)} ${round(added / 1000, 3)} µs`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
