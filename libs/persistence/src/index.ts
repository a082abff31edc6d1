export * from './entities';
export * from './database/data-source';
export * from './database/database';
