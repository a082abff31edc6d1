import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type CounterConfiguration, type GaugeConfiguration } from 'prom-client';

const METRIC_PREFIX = 'custos_';

type HttpLabel = 'method' | 'route' | 'status_code';

/**
 * The api's metrics, on a registry of its own rather than prom-client's global one: tests boot
 * several apps in one process, and a shared registry would reject the second set of names.
 */
@Injectable()
export class MetricsService implements OnModuleDestroy {
  readonly registry = new Registry();

  private readonly httpDuration = new Histogram<HttpLabel>({
    name: `${METRIC_PREFIX}http_request_duration_seconds`,
    help: 'Time from receiving a request to finishing its response, by route template.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly verifyResults = new Counter<'code'>({
    name: `${METRIC_PREFIX}verify_results_total`,
    help: 'Token verifications by outcome code (VALID or the error code returned).',
    labelNames: ['code'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Prometheus text exposition of everything registered. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** `route` must be a template (`/tokens/:id`), never a raw URL, or label cardinality explodes. */
  observeHttpRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  verifyResult(code: string): void {
    this.verifyResults.inc({ code });
  }

  /**
   * Registers a gauge on this registry for values only known elsewhere (queue depth, cache size):
   * either keep the returned gauge and `set()` it, or pass `collect` to read the value at scrape
   * time. The name is prefixed with `custos_` unless it already is.
   */
  registerGauge<L extends string = string>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
    return new Gauge<L>({ ...config, name: prefixed(config.name), registers: [this.registry] });
  }

  /**
   * Registers a counter the same way, for totals counted elsewhere: a `collect` that reads the total
   * at scrape time sets it with `reset()` and `inc(total)`.
   */
  registerCounter<L extends string = string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
    return new Counter<L>({ ...config, name: prefixed(config.name), registers: [this.registry] });
  }

  onModuleDestroy(): void {
    this.registry.clear();
  }
}

function prefixed(name: string): string {
  return name.startsWith(METRIC_PREFIX) ? name : `${METRIC_PREFIX}${name}`;
}
