export * from './config/custos-config';
export * from './logging/pino-options';
export * from './logging/redaction';
