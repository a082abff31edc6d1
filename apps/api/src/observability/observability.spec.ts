import { Controller, Get, Global, Module, Param } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { generateToken } from '@custos/domain';
import { getDataSourceToken } from '@nestjs/typeorm';
import { type Redis } from 'ioredis';
import { Logger, LoggerModule } from 'nestjs-pino';
import { type DestinationStream } from 'pino';
import { type DataSource } from 'typeorm';
import { CUSTOS_CONFIG } from '../infrastructure/config.provider';
import { REDIS } from '../infrastructure/redis.provider';
import { HealthModule } from './health.module';
import { LOGGED_ROUTES, createHttpLoggerOptions } from './logging.module';
import { MetricsModule, MetricsService, registerHttpMetrics } from './metrics.module';
import { echoRequestId, requestIdFor } from './request-id';

type FakeDataSource = Pick<DataSource, 'isInitialized' | 'query'>;
type FakeRedis = Pick<Redis, 'ping'>;

@Controller('v1/things')
class ThingsController {
  @Get(':id')
  get(@Param('id') id: string): { id: string } {
    return { id };
  }
}

/** The whole observability slice on a real Nest + Fastify stack, with fakes for Postgres and Redis. */
describe('observability in an app', () => {
  const lines: string[] = [];
  const dataSource: FakeDataSource = { isInitialized: true, query: jest.fn().mockResolvedValue([{ '?column?': 1 }]) };
  const redis: FakeRedis = { ping: jest.fn().mockResolvedValue('PONG') };
  let app: NestFastifyApplication;

  @Global()
  @Module({
    providers: [
      { provide: getDataSourceToken(), useValue: dataSource },
      { provide: REDIS, useValue: redis },
      // No CUSTOS_METRICS_TOKEN: /metrics open, as by default.
      { provide: CUSTOS_CONFIG, useValue: {} },
    ],
    exports: [getDataSourceToken(), REDIS, CUSTOS_CONFIG],
  })
  class FakeInfrastructureModule {}

  beforeAll(async () => {
    const stream: DestinationStream = { write: (line: string) => void lines.push(line) };
    const moduleRef = await Test.createTestingModule({
      imports: [
        LoggerModule.forRoot({
          pinoHttp: [createHttpLoggerOptions({ LOG_LEVEL: 'info', NODE_ENV: 'test' }), stream],
          forRoutes: LOGGED_ROUTES,
        }),
        FakeInfrastructureModule,
        HealthModule,
        MetricsModule,
      ],
      controllers: [ThingsController],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(
      new FastifyAdapter({ requestIdHeader: false, genReqId: requestIdFor }),
    );
    app.useLogger(app.get(Logger));
    echoRequestId(app.getHttpAdapter().getInstance());
    registerHttpMetrics(app.getHttpAdapter().getInstance(), app.get(MetricsService));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());
  beforeEach(() => {
    lines.length = 0;
    jest.mocked(dataSource.query).mockResolvedValue([{ '?column?': 1 }]);
    jest.mocked(redis.ping).mockResolvedValue('PONG');
  });

  const logged = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

  it('answers liveness without touching dependencies', async () => {
    const res = await app.inject({ method: 'GET', url: '/health/live' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(dataSource.query).not.toHaveBeenCalled();
  });

  it('is ready when the database and Redis answer', async () => {
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, redis: { status: 'up' } },
      error: {},
      details: { database: { status: 'up' }, redis: { status: 'up' } },
    });
    expect(dataSource.query).toHaveBeenCalledWith('SELECT 1');
  });

  it('stays ready but says it is degraded when Redis fails, without saying why in public', async () => {
    jest.mocked(redis.ping).mockRejectedValue(new Error('connect ECONNREFUSED 10.0.0.7:6379'));
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'degraded',
      info: { database: { status: 'up' } },
      error: { redis: { status: 'down', message: 'redis unavailable' } },
    });
    expect(res.body).not.toContain('10.0.0.7');
    expect(lines.join('')).toContain('10.0.0.7');
  });

  it('is not ready when the database fails', async () => {
    jest.mocked(dataSource.query).mockRejectedValue(new Error('connect ECONNREFUSED 10.0.0.8:5432'));
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'error', error: { database: { status: 'down', message: 'database unavailable' } } });
    expect(res.body).not.toContain('10.0.0.8');
  });

  it('is not ready when the database hangs past the timeout', async () => {
    jest.mocked(dataSource.query).mockReturnValue(new Promise(() => undefined));
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({
      error: { database: { status: 'down', message: 'timeout of 2000ms exceeded' } },
    });
  }, 10_000);

  it('serves Prometheus text including request durations by route template', async () => {
    await app.inject({ method: 'GET', url: '/v1/things/abc' });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toContain(
      'custos_http_request_duration_seconds_count{method="GET",route="/v1/things/:id",status_code="200"}',
    );
    expect(res.body).toContain('custos_nodejs_eventloop_lag_seconds');
  });

  it('echoes a well-formed request id and logs under it, without credentials', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/v1/things/abc',
      headers: { 'x-request-id': 'trace-42:a.b', authorization: 'Bearer very-secret', cookie: 'custos_session=zzz' },
    });
    expect(res.headers['x-request-id']).toBe('trace-42:a.b');
    const entries = logged();
    expect(entries).toEqual([
      expect.objectContaining({ msg: 'request completed', req: expect.objectContaining({ id: 'trace-42:a.b' }) }),
    ]);
    expect(lines.join('')).not.toContain('very-secret');
    expect(lines.join('')).not.toContain('zzz');
  });

  it('keeps a token in the URL out of the request log', async () => {
    const token = generateToken('live').raw;
    await app.inject({ method: 'GET', url: `/v1/things/${token}?again=${token}` });
    expect(lines).toHaveLength(1);
    expect(lines.join('')).not.toContain(token);
  });

  // Issue 12, finding 9: a token glued to other word characters has no word boundary around it.
  it.each([
    ['glued to a suffix', (t: string) => `/v1/things/abc?q=${t}_x`],
    ['percent-encoded', (t: string) => `/v1/things/abc?q=${t.replace(/_/g, '%5F')}`],
  ])('keeps a token %s out of the request log', async (_how, urlWith) => {
    const token = generateToken('live').raw;
    await app.inject({ method: 'GET', url: urlWith(token) });
    expect(lines).toHaveLength(1);
    // The 61 characters after `cus_live_` are the lookup id, the secret and the checksum.
    expect(lines.join('')).not.toContain(token.slice('cus_live_'.length));
  });

  it('replaces a malformed request id with a fresh one', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/v1/things/abc',
      headers: { 'x-request-id': 'bad id\n{"x":1}' },
    });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives unmatched routes an id too', async () => {
    const res = await app.inject({ method: 'GET', url: '/nowhere' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
  });

  it('does not log probe and scrape requests', async () => {
    await app.inject({ method: 'GET', url: '/health/live' });
    await app.inject({ method: 'GET', url: '/metrics' });
    expect(lines).toEqual([]);
  });
});
