import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { custosMiddleware } from './express';
import { describeGuardedRoute } from './testing/guarded-route-cases';
import { ScriptedCustos } from './testing/scripted-custos';
import { createVerifier, type Verifier } from './verifier/create-verifier';

describe('custosMiddleware (Express) guarding a real route', () => {
  let custos: ScriptedCustos;
  let verifier: Verifier;
  let server: Server;
  let routeUrl: string;

  beforeEach(async () => {
    custos = await ScriptedCustos.start();
    verifier = createVerifier({ baseUrl: custos.baseUrl, serviceKey: 'svc_key', onError: () => undefined });
    const app = express();
    app.get('/orders', custosMiddleware(verifier, { scopes: ['orders:read'] }), (req, res) => {
      res.json({ custos: req.custos });
    });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    routeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/orders`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await verifier.close();
    await custos.stop();
  });

  describeGuardedRoute(() => ({ custos, routeUrl }));
});
