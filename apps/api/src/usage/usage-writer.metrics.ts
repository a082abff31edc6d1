import { Injectable, type OnModuleInit } from '@nestjs/common';
import { UsageEventWriter } from '@custos/application';
import { MetricsService } from '../observability/metrics.module';

/**
 * The usage writer of this instance in /metrics: events written and dropped since it started, and the
 * age of the oldest event waiting to be written. Lag growing past a few flush intervals means Postgres
 * is not taking the events; drops mean the buffer's bound was reached (docs/operations.md).
 */
@Injectable()
export class UsageWriterMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly writer: UsageEventWriter,
  ) {}

  onModuleInit(): void {
    const { writer } = this;
    this.metrics.registerCounter({
      name: 'usage_events_written_total',
      help: 'Usage events this instance wrote to the database, since it started',
      collect() {
        this.reset();
        this.inc(writer.writtenEvents);
      },
    });
    this.metrics.registerCounter({
      name: 'usage_events_dropped_total',
      help: 'Usage events this instance gave up, since it started: buffer full while the database was unreachable, refused by the database, or left at shutdown',
      collect() {
        this.reset();
        this.inc(writer.droppedEvents);
      },
    });
    this.metrics.registerGauge({
      name: 'usage_writer_lag_seconds',
      help: 'Age of the oldest usage event this instance holds unwritten (0 when none)',
      collect() {
        this.set(writer.lagSeconds());
      },
    });
  }
}
