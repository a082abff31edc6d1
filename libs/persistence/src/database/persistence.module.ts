import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createDataSource, type DataSourceSettings } from './data-source';
import { Database } from './database';

/** The pool and the tenant-scoped transaction runner, for every process that talks to Postgres. */
@Global()
@Module({})
export class PersistenceModule {
  static forRoot(settings: DataSourceSettings): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [TypeOrmModule.forRootAsync({ useFactory: () => createDataSource(settings).options })],
      providers: [{ provide: Database, useFactory: (dataSource: DataSource) => new Database(dataSource), inject: [getDataSourceToken()] }],
      exports: [Database],
    };
  }
}
