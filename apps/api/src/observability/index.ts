export { HealthModule } from './health.module';
export { READINESS_TIMEOUT_MS } from './readiness.indicators';
export {
  LOGGED_ROUTES,
  createHttpLoggerOptions,
  createLoggerModule,
  createPinoOptions,
  type LoggingConfig,
} from './logging.module';
export { MetricsModule } from './metrics.module';
export { METRIC_PREFIX, MetricsService } from './metrics.service';
export { registerHttpMetrics, UNMATCHED_ROUTE } from './http-metrics';
export { REDACTED, redactSecrets, redactTokenStrings, redactTokenStringsInLogLine, isSensitiveKey } from './redaction';
export { REQUEST_ID_HEADER, assignRequestId, echoRequestId, requestIdFor } from './request-id';
