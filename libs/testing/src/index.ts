export * from './api-client';
export * from './api-process';
export * from './database-probe';
export * from './factories';
export * from './redis-server';
export * from './test-database';
export * from './scheduled-rotation';
export * from './webhook-receiver';
