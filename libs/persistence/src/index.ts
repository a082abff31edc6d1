export * from './entities';
export * from './database/data-source';
export * from './database/database';
export * from './database/persistence.module';
export * from './installation/installation.repository';
export * from './audit/audit-chain.repository';
export * from './audit/signing-key.repository';
export * from './tokens';
