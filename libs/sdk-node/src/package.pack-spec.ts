import { execFile } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { installPackedSdk, type PackedSdk } from './testing/packed-sdk';
import { ScriptedCustos } from './testing/scripted-custos';

const run = promisify(execFile);

const ESM_CONSUMER = `
import { createVerifier, VerifyCode } from '@custos/node';
import { custosAuth } from '@custos/node/fastify';
import { custosMiddleware } from '@custos/node/express';
const verifier = createVerifier({ baseUrl: process.env.CUSTOS_URL, serviceKey: 'svc_key', feedHeartbeatMs: 60000 });
while (verifier.metrics().feed !== 'connected') await new Promise((r) => setTimeout(r, 10));
const first = await verifier.verify(process.env.TOKEN, { scopes: ['orders:read'] });
const second = await verifier.verify(process.env.TOKEN, { scopes: ['orders:read'] });
await verifier.close();
console.log(JSON.stringify({ first, second, metrics: verifier.metrics(), valid: VerifyCode.VALID, middleware: [typeof custosAuth, typeof custosMiddleware] }));
`;

const CJS_CONSUMER = `
const { createVerifier, createClient } = require('@custos/node');
const { custosMiddleware } = require('@custos/node/express');
(async () => {
  const verifier = createVerifier({ baseUrl: process.env.CUSTOS_URL, serviceKey: 'svc_key', feedHeartbeatMs: 60000 });
  while (verifier.metrics().feed !== 'connected') await new Promise((r) => setTimeout(r, 10));
  const first = await verifier.verify(process.env.TOKEN, { scopes: ['orders:read'] });
  const second = await verifier.verify(process.env.TOKEN, { scopes: ['orders:read'] });
  await verifier.close();
  console.log(JSON.stringify({ first, second, metrics: verifier.metrics(), middleware: [typeof createClient, typeof custosMiddleware] }));
})();
`;

/** What a TypeScript user writes (the README's examples), checked against the packed declarations. */
const TYPED_CONSUMER = `
import { createClient, createVerifier, VerifyCode, type VerifyResult } from '@custos/node';
import { custosMiddleware } from '@custos/node/express';
import type { IncomingMessage } from 'node:http';

export async function check(): Promise<boolean> {
  const verifier = createVerifier({ baseUrl: 'http://127.0.0.1:1', serviceKey: 'k', cacheTtlMs: 1000 });
  const result: VerifyResult = await verifier.verify('t', { scopes: ['orders:read'], ip: '203.0.113.7' });
  const client = createClient({ baseUrl: 'http://127.0.0.1:1', serviceKey: 'k', retries: 2 });
  const { data } = await client.GET('/v1/tokens', { params: { query: { status: ['active'] } } });
  // @ts-expect-error: the client knows the API's routes
  await client.GET('/v1/no-such-route');
  const middleware = custosMiddleware(verifier, { scopes: ['orders:read'] });
  const request = {} as IncomingMessage;
  return result.code === VerifyCode.VALID && data !== undefined && typeof middleware === 'function' && request !== null;
}
`;

describe('the packed @custos/node, installed into an empty project', () => {
  let custos: ScriptedCustos;
  let packed: PackedSdk;
  let consumer: string;

  beforeAll(async () => {
    custos = await ScriptedCustos.start();
    custos.startHeartbeats(1000);
    packed = await installPackedSdk();
    consumer = packed.consumer;
    writeFileSync(join(consumer, 'consumer.mjs'), ESM_CONSUMER);
    writeFileSync(join(consumer, 'consumer.cjs'), CJS_CONSUMER);
    writeFileSync(join(consumer, 'typed.mts'), TYPED_CONSUMER);
    writeFileSync(join(consumer, 'typed.cts'), TYPED_CONSUMER);
  }, 240_000);

  afterAll(async () => {
    await custos.stop();
    packed?.remove();
  });

  it('ships the built files only, and installs with no dependencies', async () => {
    const { stdout } = await run('tar', ['-tzf', packed.tarball]);
    const files = stdout.trim().split('\n');
    expect(files).toEqual(expect.arrayContaining(['package/package.json', 'package/README.md', 'package/dist/index.mjs', 'package/dist/index.cjs', 'package/dist/index.d.mts', 'package/dist/index.d.cts', 'package/dist/nest.cjs']));
    expect(files.filter((file) => !file.startsWith('package/dist/') && !['package/package.json', 'package/README.md'].includes(file))).toEqual([]);
    expect(readdirSync(join(consumer, 'node_modules')).filter((name) => !name.startsWith('.'))).toEqual(['@custos']);
  });

  it('type-checks a TypeScript consumer against its declarations, as ESM and as CommonJS', async () => {
    const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin/tsc');
    const typeRoots = join(dirname(require.resolve('@types/node/package.json')), '..');
    const options = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--typeRoots', typeRoots, '--types', 'node'];
    // One program per module kind, as a project is one or the other: the ESM and CommonJS declarations
    // each merge `custos` into the frameworks' request types, so one program may load only one of them.
    for (const file of ['typed.mts', 'typed.cts']) {
      // Type errors are the failure this test is for: show them.
      await expect(run(process.execPath, [tsc, ...options, file], { cwd: consumer }).catch((error: { stdout: string }) => Promise.reject(new Error(error.stdout)))).resolves.toBeDefined();
    }
  }, 120_000);

  it.each([['ESM', 'consumer.mjs'], ['CommonJS', 'consumer.cjs']])('verifies through Custos, then from cache, as %s', async (_, script) => {
    const token = custos.validToken({ scopes: ['orders:read'] });
    const before = custos.verifyCalls.length;
    const { stdout } = await run(process.execPath, [script], { cwd: consumer, env: { ...process.env, CUSTOS_URL: custos.baseUrl, TOKEN: token.raw } });
    const out = JSON.parse(stdout) as { first: { cached: boolean; valid: boolean }; second: { cached: boolean; valid: boolean }; metrics: { hits: number }; middleware: string[] };

    expect(out.first).toMatchObject({ valid: true, cached: false });
    expect(out.second).toMatchObject({ valid: true, cached: true });
    expect(out.middleware).toEqual(['function', 'function']);
    expect(custos.verifyCalls.length - before).toBe(1);
    // close() reported the cached use before the script ended.
    expect(custos.usageBatches.flat().filter((use) => use.tokenId === token.tokenId)).toHaveLength(1);
  });
});
