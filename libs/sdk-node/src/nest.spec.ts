import { Controller, Get, Module, Req, UseFilters, UseGuards, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { CUSTOS_VERIFIER, CustosGuard, CustosModule, CustosProblemFilter, RequireScopes } from './nest';
import { describeGuardedRoute } from './testing/guarded-route-cases';
import { ScriptedCustos, until } from './testing/scripted-custos';
import { createVerifier, type Verifier } from './verifier/create-verifier';
import type { VerifyResult } from './verifier/verify-types';

@Controller('orders')
@UseGuards(CustosGuard)
@UseFilters(CustosProblemFilter)
@RequireScopes('orders:write')
class OrdersController {
  @Get()
  @RequireScopes('orders:read')
  list(@Req() request: { custos?: VerifyResult }): { custos: VerifyResult | undefined } {
    return { custos: request.custos };
  }
}

describe('CustosGuard (NestJS on Fastify) guarding a real route', () => {
  let custos: ScriptedCustos;
  let verifier: Verifier;
  let app: INestApplication;
  let routeUrl: string;

  beforeEach(async () => {
    custos = await ScriptedCustos.start();
    verifier = createVerifier({ baseUrl: custos.baseUrl, serviceKey: 'svc_key', onError: () => undefined });
    @Module({ controllers: [OrdersController], providers: [{ provide: CUSTOS_VERIFIER, useValue: verifier }] })
    class OrdersModule {}
    app = await NestFactory.create(OrdersModule, new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    routeUrl = `${await app.getUrl()}/orders`.replace('[::1]', '127.0.0.1');
  });

  afterEach(async () => {
    await app.close();
    await verifier.close();
    await custos.stop();
  });

  describeGuardedRoute(() => ({ custos, routeUrl }));
});

describe('CustosModule.forRoot', () => {
  it('provides one verifier to the guard and closes it when the application shuts down', async () => {
    const custos = await ScriptedCustos.start();
    @Module({ imports: [CustosModule.forRoot({ baseUrl: custos.baseUrl, serviceKey: 'svc_key' })], controllers: [OrdersController] })
    class AppModule {}
    const app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    const token = custos.validToken({ scopes: ['orders:read'] });

    const response = await fetch(`${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/orders`, { headers: { authorization: `Bearer ${token.raw}` } });
    expect(response.status).toBe(200);
    const verifier = app.get<Verifier>(CUSTOS_VERIFIER);
    await until(() => custos.openFeeds === 1);

    await app.close();
    expect(verifier.metrics().feed).toBe('down');
    await until(() => custos.openFeeds === 0);
    await custos.stop();
  });
});
