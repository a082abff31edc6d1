import { join, resolve } from 'node:path';
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
});

describe('describeDatabaseUrl', () => {
  it('hides the password and query parameters', () => {
    expect(describeDatabaseUrl('postgres://owner:s3cret@db:5432/custos?sslmode=require')).toBe(
      'postgres://owner:***@db:5432/custos',
    );
    expect(describeDatabaseUrl('not a url')).toBe('(unparseable URL)');
  });
});
