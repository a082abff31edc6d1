import Fastify from 'fastify';
import { serve } from './serve';
import { verifyWork, type VerifyBody } from './verify-work';

/** Baseline 2: the api's verify work (verify-work.ts) on a bare Fastify route, without Nest. What the api spends beyond this is framework. */
const work = verifyWork();
const app = Fastify({ logger: false });
app.get('/health', async () => ({ status: 'ok' }));
app.post<{ Body: VerifyBody }>(
  '/v1/verify',
  {
    schema: {
      body: {
        type: 'object',
        required: ['token'],
        properties: {
          token: { type: 'string', maxLength: 512 },
          scopes: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 128 } },
          context: { type: 'object', properties: { ip: { type: 'string' } } },
        },
      },
    },
  },
  async (request, reply) => {
    const answer = work(request.headers.authorization, request.body, request.ip);
    return reply.code(answer.status).send(answer.body);
  },
);
serve(app);
