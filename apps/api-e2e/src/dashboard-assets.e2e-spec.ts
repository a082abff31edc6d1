import { readFile, readdir } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { ApiClient, REPO_ROOT } from '@custos/testing';

const DASHBOARD = join(REPO_ROOT, 'dist', 'apps', 'dashboard');
const IMMUTABLE = 'public, max-age=31536000, immutable';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET whose body stays as sent (fetch would decompress it and drop the evidence). */
function rawGet(path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const url = new URL(path, ApiClient.fromEnv().baseUrl);
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

/** The built dashboard's files as the api serves them: hashed assets cached for good and compressed. */
describe('dashboard assets', () => {
  let asset: string;
  let index: Buffer;

  beforeAll(async () => {
    index = await readFile(join(DASHBOARD, 'index.html'));
    // The entry script index.html loads: hashed, and large enough to have been precompressed.
    asset = /src="\/(assets\/index-[\w-]+\.js)"/.exec(index.toString('utf8'))![1]!;
  });

  it('sends a hashed asset brotli-compressed and immutable to a browser that accepts it', async () => {
    const res = await rawGet(`/${asset}`, { 'accept-encoding': 'br, gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['vary']).toMatch(/accept-encoding/i);
    expect(res.headers['content-type']).toMatch(/javascript/);
    const plain = await readFile(join(DASHBOARD, asset));
    expect(res.body.length).toBeLessThan(plain.length / 2);
    expect(brotliDecompressSync(res.body).equals(plain)).toBe(true);
  });

  it('sends gzip to a client that accepts only gzip, and the plain file to one that names no encoding', async () => {
    const plain = await readFile(join(DASHBOARD, asset));
    const gz = await rawGet(`/${asset}`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain)).toBe(true);

    const res = await rawGet(`/${asset}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
    expect(res.body.equals(plain)).toBe(true);
  });

  it('marks every hashed file of the build immutable, whatever its type', async () => {
    const names = (await readdir(join(DASHBOARD, 'assets'))).filter((name) => !/\.(br|gz)$/.test(name));
    const css = names.find((name) => name.endsWith('.css'));
    for (const name of [names[0]!, ...(css ? [css] : [])]) {
      const res = await rawGet(`/assets/${name}`, { 'accept-encoding': 'br, gzip' });
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe(IMMUTABLE);
    }
  });

  it.each([
    ['/', 'the root'],
    ['/index.html', 'index.html itself'],
    ['/tokens/tok_deep_link', 'a deep link (the single-page fallback)'],
  ])('never lets %s (%s) be reused without asking', async (path) => {
    for (const headers of [{ 'accept-encoding': 'br, gzip' }, {}] as Record<string, string>[]) {
      const res = await rawGet(path, headers);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      const body = res.headers['content-encoding'] === 'br' ? brotliDecompressSync(res.body) : res.body;
      expect(body.equals(index)).toBe(true);
    }
  });
});
