import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateLocalSecrets } from './local-secrets';

describe('loadOrCreateLocalSecrets', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'custos-secrets-')), 'data');
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('creates owner-only secrets of 32 random bytes on the first start', () => {
    const secrets = loadOrCreateLocalSecrets(dir);
    expect(secrets.tokenPepperId).toBe('local1');
    expect(Buffer.from(secrets.tokenPepper, 'base64url')).toHaveLength(32);
    expect(Buffer.from(secrets.masterKey, 'base64url')).toHaveLength(32);
    expect(secrets.tokenPepper).not.toBe(secrets.masterKey);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
  });

  it('reuses the same secrets on the next start', () => {
    const first = loadOrCreateLocalSecrets(dir);
    expect(loadOrCreateLocalSecrets(dir)).toEqual(first);
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8'))).toEqual(first);
  });

  it('refuses a damaged file instead of replacing it', () => {
    loadOrCreateLocalSecrets(dir);
    const path = join(dir, 'secrets.json');
    writeFileSync(path, '{"tokenPepper": "short"}');
    expect(() => loadOrCreateLocalSecrets(dir)).toThrow(/invalid fields \(tokenPepper, tokenPepperId, masterKey\)/);
    writeFileSync(path, 'not json');
    expect(() => loadOrCreateLocalSecrets(dir)).toThrow(/not valid JSON/);
    expect(readFileSync(path, 'utf8')).toBe('not json');
  });
});
