import Fastify, { type FastifyInstance } from 'fastify';
import { custosAuth } from './fastify';
import { describeGuardedRoute } from './testing/guarded-route-cases';
import { ScriptedCustos } from './testing/scripted-custos';
import { createVerifier, type Verifier } from './verifier/create-verifier';

describe('custosAuth (Fastify) guarding a real route', () => {
  let custos: ScriptedCustos;
  let verifier: Verifier;
  let app: FastifyInstance;
  let routeUrl: string;

  beforeEach(async () => {
    custos = await ScriptedCustos.start();
    verifier = createVerifier({ baseUrl: custos.baseUrl, serviceKey: 'svc_key', onError: () => undefined });
    app = Fastify();
    app.get('/orders', { preHandler: custosAuth(verifier, { scopes: ['orders:read'] }) }, (request) => ({ custos: request.custos }));
    routeUrl = `${await app.listen({ port: 0, host: '127.0.0.1' })}/orders`;
  });

  afterEach(async () => {
    await app.close();
    await verifier.close();
    await custos.stop();
  });

  describeGuardedRoute(() => ({ custos, routeUrl }));
});
