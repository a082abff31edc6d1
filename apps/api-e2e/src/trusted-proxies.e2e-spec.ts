import {
  ApiClient,
  issueToken,
  pollUntil,
  serviceKey,
  signupTenant,
  startApi,
  type RunningApi,
  type TestTenant,
  type TokenBody,
} from '@custos/testing';

/**
 * An api behind a load balancer at 127.0.0.2 (CUSTOS_TRUSTED_PROXIES): X-Forwarded-For is believed
 * from it alone, its right-most untrusted hop is the client, and the same holds on the Nest routes and
 * on POST /v1/verify, which another Fastify instance serves. The client address is observed where the
 * api records it: the network of a service key's last use, and the key's IP allow-list.
 */
describe('trusted proxies', () => {
  const PROXY = '127.0.0.2';
  const DIRECT = '127.0.0.1';
  let api: RunningApi;
  let tenant: TestTenant;

  beforeAll(async () => {
    api = await startApi({ CUSTOS_TRUSTED_PROXIES: PROXY });
    tenant = await signupTenant(new ApiClient(api.url), 'Proxies');
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
  });

  const lastUsedNetworkOf = (id: string) => async () => (await tenant.owner.get<TokenBody & { lastUsedIp: string | null }>(`/v1/tokens/${id}`)).body.lastUsedIp;
  const becomes = async (id: string, network: string) => expect(await pollUntil(lastUsedNetworkOf(id), (seen) => seen === network)).toBe(network);

  it('takes the client of a Nest route from a trusted proxy only, as the right-most hop the proxy did not add', async () => {
    const { client, issued } = await serviceKey(tenant, ['custos:tokens:read']);
    const read = (from: string, forwardedFor: string) =>
      client.from(from).request('GET', `/v1/tokens/${issued.token.id}`, undefined, { 'x-forwarded-for': forwardedFor });

    expect((await read(PROXY, '203.0.113.5')).status).toBe(200);
    await becomes(issued.token.id, '203.0.113.0/24');
    // The same header from anyone else is that client's own claim: the socket's peer is the client.
    expect((await read(DIRECT, '198.51.100.7')).status).toBe(200);
    await becomes(issued.token.id, '127.0.0.0/24');
    // What a client wrote itself stands left of what the proxy appended: the proxy's word counts.
    expect((await read(PROXY, '192.0.2.66, 198.51.100.7')).status).toBe(200);
    await becomes(issued.token.id, '198.51.100.0/24');
  });

  it('does the same on POST /v1/verify, where a forged header cannot pass an IP allow-list', async () => {
    const { secret } = await issueToken(tenant.owner);
    const { client, issued } = await serviceKey(tenant, ['custos:tokens:verify'], { allowedCidrs: ['198.51.100.0/24', '2001:db8:1234::/48'] });
    const verify = (from: string, forwardedFor: string) =>
      client.from(from).request<{ code: string }>('POST', '/v1/verify', { token: secret }, { 'x-forwarded-for': forwardedFor });

    const viaProxy = await verify(PROXY, '198.51.100.7');
    expect([viaProxy.status, viaProxy.body.code]).toEqual([200, 'VALID']);
    await becomes(issued.token.id, '198.51.100.0/24');
    expect((await verify(PROXY, '2001:db8:1234:5678::1')).status).toBe(200);
    await becomes(issued.token.id, '2001:db8:1234::/48');

    // Sent directly, the header names an allowed address but the client is 127.0.0.1: refused.
    expect((await verify(DIRECT, '198.51.100.7')).status).toBe(401);
    // Through the proxy, a client that put an allowed address in front of its own is still itself.
    expect((await verify(PROXY, '198.51.100.7, 203.0.113.5')).status).toBe(401);
  });
});
