export * from './config/custos-config';
export * from './embedded/embedded-postgres';
export * from './embedded/local-redis';
export * from './embedded/local-secrets';
export * from './embedded/process-utils';
export * from './logging/pino-options';
export * from './logging/redaction';
export * from './redis/fail-fast-redis';
