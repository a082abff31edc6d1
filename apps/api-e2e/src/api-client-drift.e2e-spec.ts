import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ApiClient, REPO_ROOT } from '@custos/testing';

/**
 * The committed client (src/generated/openapi.ts) must be what the running API's document generates,
 * and the offline export that `npm run api-client:generate` uses (no database) must equal what the
 * server serves. A failure means: run `npm run api-client:generate` and commit the result.
 */
const GENERATE = join(REPO_ROOT, 'libs/api-client/scripts/generate.mjs');
const EXPORT = join(REPO_ROOT, 'dist/apps/api/src/openapi/export-openapi.js');

describe('generated API client', () => {
  const api = ApiClient.fromEnv();

  it('matches the OpenAPI document of the running api', () => {
    const check = spawnSync(process.execPath, [GENERATE, '--check', '--url', `${api.baseUrl}/openapi.json`], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('is generated offline from the same document the server serves', async () => {
    const served: unknown = (await api.get('/openapi.json')).body;
    const offline: unknown = JSON.parse(execFileSync(process.execPath, [EXPORT], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
    expect(offline).toEqual(served);
  });
});
