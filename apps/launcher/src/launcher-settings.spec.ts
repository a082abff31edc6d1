import { join, resolve } from 'node:path';
import { ConfigError } from '@custos/runtime';
import { describeDatabaseUrl, readLauncherSettings } from './launcher-settings';

describe('readLauncherSettings', () => {
  it('runs embedded in ./.custos with small pools when nothing is configured', () => {
    const settings = readLauncherSettings({});
    expect(settings).toMatchObject({
      dataDir: resolve('.custos'),
      pgDataDir: join(resolve('.custos'), 'pgdata'),
      pgSocketDir: join(resolve('.custos'), 'socket'),
      embedded: true,
      apiPoolSize: '4',
      workerPoolSize: '2',
      publicUrl: 'http://127.0.0.1:3000/',
    });
    expect(settings.embeddedMaxConnections).toBeGreaterThanOrEqual(4 + 2 + 1);
  });

  it('sizes the embedded server for pools the user chose', () => {
    const settings = readLauncherSettings({ CUSTOS_DATA_DIR: '/srv/custos', DATABASE_POOL_SIZE: '10' });
    expect(settings).toMatchObject({ dataDir: '/srv/custos', apiPoolSize: '10', workerPoolSize: '10' });
    expect(settings.embeddedMaxConnections).toBeGreaterThanOrEqual(21);
  });

  it('leaves pool sizes to the api and worker with an external database', () => {
    expect(readLauncherSettings({ DATABASE_URL: 'postgres://db/custos' })).toMatchObject({
      embedded: false,
      apiPoolSize: undefined,
      workerPoolSize: undefined,
    });
  });

  it('shows a URL a local browser can open, whatever the bind address', () => {
    expect(readLauncherSettings({ HOST: '0.0.0.0', PORT: '8080' }).publicUrl).toBe('http://127.0.0.1:8080/');
    expect(readLauncherSettings({ HOST: '::' }).publicUrl).toBe('http://[::1]:3000/');
    expect(readLauncherSettings({ HOST: 'custos.internal' }).publicUrl).toBe('http://custos.internal:3000/');
  });

  it('reads the launcher settings through the config schema, with its defaults', () => {
    expect(readLauncherSettings({}).shutdownTimeoutMs).toBe(15_000);
    expect(readLauncherSettings({ CUSTOS_SHUTDOWN_TIMEOUT_MS: '2500' }).shutdownTimeoutMs).toBe(2500);
    expect(
      readLauncherSettings({
        DATABASE_URL: 'postgres://app@db/custos',
        DATABASE_MIGRATION_URL: 'postgres://owner@db/custos',
        REDIS_URL: 'redis://cache:6379',
        CUSTOS_ADMIN_EMAIL: 'admin@example.test',
      }),
    ).toMatchObject({
      databaseUrl: 'postgres://app@db/custos',
      migrationUrl: 'postgres://owner@db/custos',
      redisUrl: 'redis://cache:6379',
      hasTokenPepper: false,
      adminEmail: 'admin@example.test',
    });
    expect(readLauncherSettings({ DATABASE_URL: 'postgres://app@db/custos' }).migrationUrl).toBe('postgres://app@db/custos');
  });

  it('takes an empty variable for an unset one (DATABASE_URL= in an env file means embedded)', () => {
    expect(readLauncherSettings({ DATABASE_URL: '', REDIS_URL: '', CUSTOS_DATA_DIR: '', PORT: '' })).toMatchObject({
      embedded: true,
      databaseUrl: undefined,
      redisUrl: undefined,
      dataDir: resolve('.custos'),
      publicUrl: 'http://127.0.0.1:3000/',
    });
  });

  it.each<[Record<string, string>, RegExp]>([
    [{ CUSTOS_SHUTDOWN_TIMEOUT_MS: 'soon' }, /CUSTOS_SHUTDOWN_TIMEOUT_MS is invalid/],
    [{ CUSTOS_SHUTDOWN_TIMEOUT_MS: '0' }, /CUSTOS_SHUTDOWN_TIMEOUT_MS is invalid/],
    [{ DATABASE_POOL_SIZE: '0' }, /DATABASE_POOL_SIZE is invalid/],
    [{ PORT: '70000' }, /PORT is invalid/],
    [{ DATABASE_URL: 'mysql://db/custos' }, /DATABASE_URL is invalid: expected a postgres:\/\/ URL/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL is invalid: expected a redis:\/\/ URL/],
    [{ CUSTOS_TOKEN_PEPPER: 'short' }, /CUSTOS_TOKEN_PEPPER is invalid/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => readLauncherSettings(env)).toThrow(ConfigError);
    expect(() => readLauncherSettings(env)).toThrow(message);
  });
});

describe('describeDatabaseUrl', () => {
  it('hides the password and query parameters', () => {
    expect(describeDatabaseUrl('postgres://owner:s3cret@db:5432/custos?sslmode=require')).toBe(
      'postgres://owner:***@db:5432/custos',
    );
    expect(describeDatabaseUrl('not a url')).toBe('(unparseable URL)');
  });
});
