export * from './config/custos-config';
