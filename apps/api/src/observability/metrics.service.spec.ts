import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { staticRouteUrls } from '../dashboard/static-routes';
import { registerHttpMetrics } from './http-metrics';
import { MetricsService } from './metrics.service';

describe('MetricsService', () => {
  let metrics: MetricsService;
  beforeEach(() => (metrics = new MetricsService()));
  afterEach(() => metrics.onModuleDestroy());

  it('exposes request durations by route template and verify outcomes', async () => {
    metrics.observeHttpRequest('GET', '/v1/tokens/:id', 200, 0.012);
    metrics.verifyResult('VALID');
    metrics.verifyResult('VALID');
    metrics.verifyResult('TOKEN_REVOKED');

    const text = await metrics.render();
    expect(text).toContain(
      'custos_http_request_duration_seconds_count{method="GET",route="/v1/tokens/:id",status_code="200"} 1',
    );
    expect(text).toContain('custos_verify_results_total{code="VALID"} 2');
    expect(text).toContain('custos_verify_results_total{code="TOKEN_REVOKED"} 1');
    expect(text).toContain('custos_process_cpu_user_seconds_total');
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('keeps each instance on its own registry', async () => {
    const other = new MetricsService();
    other.verifyResult('VALID');
    expect(await metrics.render()).not.toContain('custos_verify_results_total{code="VALID"}');
    other.onModuleDestroy();
  });

  it('registers gauges set directly or read at scrape time', async () => {
    metrics.registerGauge({ name: 'usage_buffer_size', help: 'Pending usage increments.' }).set(7);
    let depth = 0;
    metrics.registerGauge({
      name: 'custos_queue_depth',
      help: 'Jobs waiting.',
      collect() {
        this.set(depth);
      },
    });
    depth = 3;
    const text = await metrics.render();
    expect(text).toContain('custos_usage_buffer_size 7');
    expect(text).toContain('custos_queue_depth 3');
  });

  it('registers counters whose total is read at scrape time', async () => {
    let written = 5;
    metrics.registerCounter({
      name: 'usage_events_written_total',
      help: 'Usage events written.',
      collect() {
        this.reset();
        this.inc(written);
      },
    });
    expect(await metrics.render()).toMatch(/# TYPE custos_usage_events_written_total counter\ncustos_usage_events_written_total 5\n/);
    written = 12;
    expect(await metrics.render()).toContain('custos_usage_events_written_total 12');
  });
});

describe('registerHttpMetrics', () => {
  it('labels responses with the route template, or unmatched', async () => {
    const metrics = new MetricsService();
    const fastify = Fastify();
    fastify.get('/v1/tokens/:id', async () => ({ ok: true }));
    registerHttpMetrics(fastify, metrics);

    await fastify.inject({ method: 'GET', url: '/v1/tokens/tok_123' });
    await fastify.inject({ method: 'GET', url: '/no/such/route' });

    const text = await metrics.render();
    expect(text).toContain(
      'custos_http_request_duration_seconds_count{method="GET",route="/v1/tokens/:id",status_code="200"} 1',
    );
    expect(text).toContain(
      'custos_http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"} 1',
    );
    expect(text).not.toContain('tok_123');
    await fastify.close();
    metrics.onModuleDestroy();
  });

  it('labels every file of the dashboard `static`, however many there are, and keeps API templates apart', async () => {
    const root = mkdtempSync(join(tmpdir(), 'custos-static-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
    for (const name of ['index-3f9a.js', 'index-77c1.css', 'logo-12ab.svg']) writeFileSync(join(root, 'assets', name), name);
    const metrics = new MetricsService();
    const fastify = Fastify();
    await fastify.register(fastifyStatic, { root, wildcard: false, index: ['index.html'] });
    fastify.get('/v1/tokens/:id', async () => ({ ok: true }));
    registerHttpMetrics(fastify, metrics, staticRouteUrls(root));

    for (const url of ['/', '/index.html', '/assets/index-3f9a.js', '/assets/index-77c1.css', '/assets/logo-12ab.svg', '/v1/tokens/tok_1']) {
      expect((await fastify.inject({ method: 'GET', url })).statusCode).toBe(200);
    }

    const series = (await metrics.render()).split('\n').filter((line) => line.startsWith('custos_http_request_duration_seconds_count'));
    expect(series.sort()).toEqual([
      'custos_http_request_duration_seconds_count{method="GET",route="/v1/tokens/:id",status_code="200"} 1',
      'custos_http_request_duration_seconds_count{method="GET",route="static",status_code="200"} 5',
    ]);
    await fastify.close();
    metrics.onModuleDestroy();
    rmSync(root, { recursive: true, force: true });
  });
});
