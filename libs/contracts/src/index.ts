export * from './errors/error-code';
export * from './tokens/verify-code';
export * from './auth/custos-scopes';
export * from './shared/json';
export * from './queues/queues';
export * from './webhooks/webhook-events';
export * from './consents/consents';
