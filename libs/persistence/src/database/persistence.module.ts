import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditChainRepository } from '../audit/audit-chain.repository';
import { SigningKeyRepository } from '../audit/signing-key.repository';
import { INVENTORY_REPOSITORIES } from '../inventory';
import { OVERVIEW_REPOSITORIES } from '../overview';
import { SWEEPS_REPOSITORIES } from '../sweeps';
import { VERIFY_REPOSITORIES } from '../verify';
import { createDataSource, type DataSourceSettings } from './data-source';
import { Database } from './database';

/** The feature repositories: stateless, each method runs in the transaction it is given. */
const REPOSITORIES = [
  AuditChainRepository,
  SigningKeyRepository,
  ...VERIFY_REPOSITORIES,
  ...SWEEPS_REPOSITORIES,
  ...INVENTORY_REPOSITORIES,
  ...OVERVIEW_REPOSITORIES,
];

/** The pool, the tenant-scoped transaction runner and the repositories, for every process that talks to Postgres. */
@Global()
@Module({})
export class PersistenceModule {
  static forRoot(settings: DataSourceSettings): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [TypeOrmModule.forRootAsync({ useFactory: () => createDataSource(settings).options })],
      providers: [
        { provide: Database, useFactory: (dataSource: DataSource) => new Database(dataSource), inject: [getDataSourceToken()] },
        ...REPOSITORIES,
      ],
      exports: [Database, ...REPOSITORIES],
    };
  }
}
