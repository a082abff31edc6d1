import { checkWebhookUrl, type ResolveAll } from './webhook-url';

/** Names resolve through this table, so the test needs no network and controls every answer. */
const dns: Record<string, string[]> = {
  'hooks.example.com': ['93.184.216.34', '2606:2800:220:1::1'],
  'internal.example.com': ['10.1.2.3'],
  'mixed.example.com': ['93.184.216.34', '127.0.0.1'],
  'metadata.example.com': ['169.254.169.254'],
  'v6-local.example.com': ['fd00::1'],
  'mapped.example.com': ['::ffff:192.168.0.1'],
};
const resolve: ResolveAll = async (host) => {
  const found = dns[host];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return found;
};

const problemOf = async (url: string, allowPrivate = false) => {
  const result = await checkWebhookUrl(url, allowPrivate, resolve);
  return 'problem' in result ? result.problem : null;
};

describe('webhook URL check (SSRF), private targets not allowed', () => {
  it.each([
    'https://hooks.example.com/custos',
    'https://93.184.216.34/hook',
    'https://[2606:4700:4700::1111]/hook',
    'https://hooks.example.com:8443/a?b=c',
  ])('accepts %s', async (url) => expect(await problemOf(url)).toBeNull());

  it.each([
    ['http://hooks.example.com/', 'must use https'],
    // For a non-public target the address is what matters, whatever the scheme.
    ['http://10.0.0.1/', 'points to a private address'],
    ['http://169.254.169.254/', 'points to a link-local address'],
    ['http://[::1]/', 'points to a loopback address'],
    ['ftp://hooks.example.com/', 'must use https (or http)'],
    ['not a url', 'must be an absolute http or https URL'],
    ['/relative/path', 'must be an absolute http or https URL'],
    ['https://user:pass@hooks.example.com/', 'must not contain a user name or password'],
    ['https://127.0.0.1/hook', 'points to a loopback address'],
    ['https://127.1/hook', 'points to a loopback address'],
    ['https://2130706433/', 'points to a loopback address'],
    ['https://0x7f000001/', 'points to a loopback address'],
    ['https://10.0.0.1/', 'points to a private address'],
    ['https://192.168.1.10/', 'points to a private address'],
    ['https://100.64.1.1/', 'points to a shared (carrier-grade NAT) address'],
    ['https://169.254.169.254/latest/meta-data', 'points to a link-local address'],
    ['https://0.0.0.0/', 'points to an unspecified address'],
    ['https://224.0.0.1/', 'points to a multicast address'],
    ['https://255.255.255.255/', 'points to a broadcast address'],
    ['https://[::1]/', 'points to a loopback address'],
    ['https://[::]/', 'points to an unspecified address'],
    ['https://[fc00::1]/', 'points to a unique local (private) address'],
    ['https://[fe80::1]/', 'points to a link-local address'],
    ['https://[::ffff:127.0.0.1]/', 'points to a loopback address'],
    ['https://[::ffff:a9fe:a9fe]/', 'points to a link-local address'],
    ['https://internal.example.com/', 'resolves to a private address'],
    ['https://mixed.example.com/', 'resolves to a loopback address'],
    ['https://metadata.example.com/', 'resolves to a link-local address'],
    ['https://v6-local.example.com/', 'resolves to a unique local (private) address'],
    ['https://mapped.example.com/', 'resolves to a private address'],
    ['https://nowhere.example.com/', 'has a host name that does not resolve'],
  ])('refuses %s: %s', async (url, problem) => expect(await problemOf(url)).toBe(problem));

  it('refuses URLs longer than 2048 characters', async () => {
    expect(await problemOf(`https://hooks.example.com/${'a'.repeat(2048)}`)).toBe('must be at most 2048 characters');
  });

  it('answers with the normalised URL it will call', async () => {
    expect(await checkWebhookUrl('https://HOOKS.example.com', false, resolve)).toEqual({ url: 'https://hooks.example.com/' });
  });
});

describe('webhook URL check, private targets allowed (tests, local setups)', () => {
  it.each(['http://127.0.0.1:8080/hook', 'http://localhost/hook', 'https://10.0.0.1/', 'http://[::1]:9/x'])(
    'accepts %s without resolving it',
    async (url) => {
      const failing: ResolveAll = () => Promise.reject(new Error('must not resolve'));
      expect(await checkWebhookUrl(url, true, failing)).toEqual({ url: new URL(url).href });
    },
  );

  it('still refuses other schemes and credentials', async () => {
    expect(await problemOf('file:///etc/passwd', true)).toBe('must use https (or http)');
    expect(await problemOf('http://a:b@127.0.0.1/', true)).toBe('must not contain a user name or password');
  });
});

describe('webhook URL check with the system resolver', () => {
  it('refuses localhost, which resolves to loopback', async () => {
    const result = await checkWebhookUrl('https://localhost/hook', false);
    expect(result).toEqual({ problem: expect.stringMatching(/^resolves to a loopback address$/) });
  });
});
