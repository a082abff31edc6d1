import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditChainRepository } from '../audit/audit-chain.repository';
import { SigningKeyRepository } from '../audit/signing-key.repository';
import { COMPLIANCE_REPOSITORIES } from '../compliance';
import { CONSENTS_REPOSITORIES } from '../consents';
import { createDataSource, type DataSourceSettings } from './data-source';
import { Database } from './database';

/** The feature repositories: stateless, each method runs in the transaction it is given. */
const REPOSITORIES = [
  AuditChainRepository,
  SigningKeyRepository,
  ...CONSENTS_REPOSITORIES,
  ...COMPLIANCE_REPOSITORIES,
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
