import { HotPath } from './hot-path';

/** What the verify route's instance takes for the client: address and scheme, through Fastify's trustProxy. */
async function probe(trustProxy: string[] | false) {
  const hotPath = new HotPath({ bodyLimit: 1024, trustProxy });
  hotPath.fastify.post('/probe', (request) => ({ ip: request.ip, protocol: request.protocol }));
  await hotPath.ready();
  return {
    from: async (remoteAddress: string, headers: Record<string, string> = {}) =>
      (await hotPath.fastify.inject({ method: 'POST', url: '/probe', remoteAddress, headers })).json<{ ip: string; protocol: string }>(),
    close: () => hotPath.close(),
  };
}

const FORWARDED = { 'x-forwarded-for': '203.0.113.5, 198.51.100.7', 'x-forwarded-proto': 'https' };

describe('HotPath behind trusted proxies', () => {
  it('believes X-Forwarded-For and -Proto only from a trusted proxy, taking the right-most untrusted hop', async () => {
    const api = await probe(['127.0.0.2', '10.0.0.0/8']);
    try {
      expect(await api.from('127.0.0.2', FORWARDED)).toEqual({ ip: '198.51.100.7', protocol: 'https' });
      // two proxies of ours in a row: the client is the hop before them
      expect(await api.from('10.9.8.7', { 'x-forwarded-for': '203.0.113.5, 198.51.100.7, 10.1.2.3' })).toEqual({ ip: '198.51.100.7', protocol: 'http' });
      expect(await api.from('127.0.0.2')).toEqual({ ip: '127.0.0.2', protocol: 'http' });
      // anyone else's headers are their own claims
      expect(await api.from('127.0.0.1', FORWARDED)).toEqual({ ip: '127.0.0.1', protocol: 'http' });
    } finally {
      await api.close();
    }
  });

  it('believes nobody without trusted proxies', async () => {
    const api = await probe(false);
    try {
      expect(await api.from('127.0.0.2', FORWARDED)).toEqual({ ip: '127.0.0.2', protocol: 'http' });
    } finally {
      await api.close();
    }
  });
});
