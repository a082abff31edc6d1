import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ACCOUNTS_REPOSITORIES } from '../accounts';
import { AUDIT_REPOSITORIES } from '../audit';
import { INSTALLATION_REPOSITORIES } from '../installation';
import { POLICY_REPOSITORIES } from '../policy';
import { SERVICES_REPOSITORIES } from '../services';
import { WEBHOOKS_REPOSITORIES } from '../webhooks';
import { INVENTORY_REPOSITORIES } from '../inventory';
import { OVERVIEW_REPOSITORIES } from '../overview';
import { SWEEPS_REPOSITORIES } from '../sweeps';
import { VERIFY_REPOSITORIES } from '../verify';
import { TOKENS_REPOSITORIES } from '../tokens';
import { COMPLIANCE_REPOSITORIES } from '../compliance';
import { CONSENTS_REPOSITORIES } from '../consents';
import { USAGE_REPOSITORIES } from '../usage';
import { ALERTS_REPOSITORIES } from '../alerts';
import { STEWARDS_REPOSITORIES } from '../stewards';
import { REVIEWS_REPOSITORIES } from '../reviews';
import { SSO_REPOSITORIES } from '../sso';
import { createDataSource, type DataSourceSettings } from './data-source';
import { Database } from './database';

/** The feature repositories: stateless, each method runs in the transaction it is given. */
const REPOSITORIES = [
  ...ACCOUNTS_REPOSITORIES,
  ...SSO_REPOSITORIES,
  ...AUDIT_REPOSITORIES,
  ...INSTALLATION_REPOSITORIES,
  ...POLICY_REPOSITORIES,
  ...SERVICES_REPOSITORIES,
  ...WEBHOOKS_REPOSITORIES,
  ...VERIFY_REPOSITORIES,
  ...SWEEPS_REPOSITORIES,
  ...INVENTORY_REPOSITORIES,
  ...OVERVIEW_REPOSITORIES,
  ...CONSENTS_REPOSITORIES,
  ...COMPLIANCE_REPOSITORIES,
  ...TOKENS_REPOSITORIES,
  ...USAGE_REPOSITORIES,
  ...ALERTS_REPOSITORIES,
  ...STEWARDS_REPOSITORIES,
  ...REVIEWS_REPOSITORIES,
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
