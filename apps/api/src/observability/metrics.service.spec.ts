import Fastify from 'fastify';
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
});
