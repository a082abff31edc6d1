import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { GithubScanningKeys } from './github-scanning-keys';

const body = Buffer.from('[{"token":"cus_live_x","type":"custos_api_token","url":"https://github.com/o/r","source":"content"}]');
const signed = (key: KeyObject, bytes: Buffer = body) => sign('sha256', bytes, { key, dsaEncoding: 'der' }).toString('base64');
const pair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** GitHub's key document served locally, counting fetches; `keys` can change between requests (a rotation). */
async function keyServer(keys: Map<string, KeyObject>): Promise<{ url: string; fetches: () => number; close: () => Promise<void> }> {
  let fetches = 0;
  const server: Server = createServer((_req, res) => {
    fetches++;
    const publicKeys = [...keys].map(([id, key]) => ({ key_identifier: id, key: key.export({ type: 'spki', format: 'pem' }), is_current: true }));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ public_keys: publicKeys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/meta/public_keys/secret_scanning`,
    fetches: () => fetches,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("GitHub's secret scanning signatures", () => {
  const first = pair();
  const published = new Map<string, KeyObject>([['k1', first.publicKey]]);
  let server: Awaited<ReturnType<typeof keyServer>>;
  let keys: GithubScanningKeys;

  beforeAll(async () => {
    server = await keyServer(published);
    keys = new GithubScanningKeys({ CUSTOS_GITHUB_SCANNING_KEYS_URL: server.url });
  });
  afterAll(() => server.close());

  it('accepts a report signed over its exact bytes by the key it names, and nothing else', async () => {
    expect(await keys.verifies(body, 'k1', signed(first.privateKey))).toBe(true);
    expect(await keys.verifies(Buffer.from(`${body.toString()} `), 'k1', signed(first.privateKey))).toBe(false);
    expect(await keys.verifies(body, 'k1', signed(pair().privateKey))).toBe(false);
    expect(await keys.verifies(body, 'k1', 'bm90IGEgc2lnbmF0dXJl')).toBe(false);
    expect(await keys.verifies(body, undefined, signed(first.privateKey))).toBe(false);
    expect(await keys.verifies(body, 'k1', undefined)).toBe(false);
  });

  it('reads the keys once, and again for an unknown key id at most once a minute', async () => {
    const before = server.fetches();
    expect(await keys.verifies(body, 'k1', signed(first.privateKey))).toBe(true);
    expect(server.fetches()).toBe(before);
    // A forged id does not make every request fetch: the last fetch was less than a minute ago.
    expect(await keys.verifies(body, 'unknown', signed(first.privateKey))).toBe(false);
    expect(await keys.verifies(body, 'unknown', signed(first.privateKey))).toBe(false);
    expect(server.fetches()).toBe(before);
  });

  it('picks up a rotated key once the minute is up', async () => {
    const rotated = pair();
    published.set('k2', rotated.publicKey);
    const fresh = new GithubScanningKeys({ CUSTOS_GITHUB_SCANNING_KEYS_URL: server.url });
    expect(await fresh.verifies(body, 'k2', signed(rotated.privateKey))).toBe(true);
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'queueMicrotask'] });
    try {
      const later = pair();
      published.set('k3', later.publicKey);
      expect(await fresh.verifies(body, 'k3', signed(later.privateKey))).toBe(false);
      jest.setSystemTime(Date.now() + 61_000);
      expect(await fresh.verifies(body, 'k3', signed(later.privateKey))).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
