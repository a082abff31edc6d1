export * from './api-client';
export * from './api-process';
export * from './database-probe';
export * from './factories';
export * from './test-database';
