import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { canonicalAddress, clientAddressOf, networkOf } from './client-network';

/** `2001:0db8:0000:…`: every group in four digits, as some clients write addresses. */
const fullLength = (address: ipaddr.IPv6) => address.parts.map((g) => g.toString(16).padStart(4, '0')).join(':');

const GARBAGE = ['', ' ', 'unknown', '1.2.3', '127.1', '0x7f.0.0.1', '010.1.1.1', '999.1.1.1', '1.2.3.4.5', '1.2.3.4 ', '1.2.3.4/24', 'fe80::1::2', 'fe80::1%', '1:2:3:4:5:6:7:8:9', 'gggg::1', '::ffff:999.1.1.1', '[::1'];

describe('networkOf (what is kept of a client address: its network, not the host)', () => {
  it.each<[string, string]>([
    ['203.0.113.77', '203.0.113.0/24'],
    ['10.1.2.3', '10.1.2.0/24'],
    ['8.8.8.8', '8.8.8.0/24'],
    ['255.255.255.255', '255.255.255.0/24'],
    // the reviewer's example: it used to come out as 'fe80::1234::/48', which is not an address
    ['fe80::1234:5678', 'fe80::/48'],
    ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3::/48'],
    ['2001:db8:1234:5678::1', '2001:db8:1234::/48'],
    ['2001:0DB8:0000:0001::1', '2001:db8::/48'],
    ['2001:db8:1::', '2001:db8:1::/48'],
    ['2a00:1450:4001:82b::200e', '2a00:1450:4001::/48'],
    ['[2a00:1450:4001:82b::200e]', '2a00:1450:4001::/48'],
    ['::1', '::/48'],
    ['::', '::/48'],
    // compressed in the middle: the groups before '::' are not always the first three
    ['2001:db8::5:6', '2001:db8::/48'],
    ['2001::db8:1:2:3:4', '2001::/48'],
    // an IPv4 client on a dual-stack socket is an IPv4 client
    ['::ffff:198.51.100.23', '198.51.100.0/24'],
    ['::FFFF:198.51.100.23', '198.51.100.0/24'],
    ['::ffff:c633:6417', '198.51.100.0/24'],
    ['0:0:0:0:0:ffff:198.51.100.23', '198.51.100.0/24'],
    // the zone names the server's interface, not the client
    ['fe80::1%eth0', 'fe80::/48'],
    ['fe80::abcd:1234%25en0', 'fe80::/48'],
    ['2001:db8:1234:5678::1%eth0', '2001:db8:1234::/48'],
  ])('%s is kept as %s', (ip, expected) => {
    expect(networkOf(ip)).toBe(expected);
  });

  it.each(GARBAGE)('%j is not an address and is kept as nothing', (ip) => {
    expect(networkOf(ip)).toBeNull();
  });

  it('keeps nothing when there is no address', () => {
    expect(networkOf(null)).toBeNull();
    expect(networkOf(undefined)).toBeNull();
  });
});

describe('networkOf (properties)', () => {
  it("writes every IPv6 /48 as ipaddr.js's RFC 5952 form of the network address does", () => {
    // small values make zero groups (and so compression) common
    const group = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (parts) => {
        const address = new ipaddr.IPv6(parts);
        fc.pre(!address.isIPv4MappedAddress());
        const network = ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/48`).toString();
        expect(networkOf(address.toString())).toBe(`${network}/48`);
        expect(networkOf(fullLength(address))).toBe(`${network}/48`);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('canonicalAddress (one spelling per client, so its keyed hash counts it once)', () => {
  it.each<[string, string]>([
    ['203.0.113.77', '203.0.113.77'],
    ['::ffff:203.0.113.77', '203.0.113.77'],
    ['::FFFF:cb00:714d', '203.0.113.77'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8:0:0:0:0:0:1'],
    ['2001:db8::1', '2001:db8:0:0:0:0:0:1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8:0:0:1:0:0:1'],
    ['[2001:db8::1]', '2001:db8:0:0:0:0:0:1'],
    ['fe80::1%eth0', 'fe80:0:0:0:0:0:0:1'],
    ['fe80::1%25en0', 'fe80:0:0:0:0:0:0:1'],
  ])('%s is %s', (ip, expected) => {
    expect(canonicalAddress(ip)).toBe(expected);
  });

  it('spells every form of one address the same', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), (parts) => {
        const address = new ipaddr.IPv6(parts);
        expect(canonicalAddress(fullLength(address).toUpperCase())).toBe(canonicalAddress(address.toString()));
      }),
      { numRuns: 500 },
    );
  });

  it.each([...GARBAGE, null, undefined])('%j is no address', (ip) => {
    expect(canonicalAddress(ip)).toBeNull();
  });
});

describe('clientAddressOf (an address read once for what a use records)', () => {
  it.each<[string, { address: string; network: string; isPublic: boolean }]>([
    ['8.8.8.8', { address: '8.8.8.8', network: '8.8.8.0/24', isPublic: true }],
    ['::ffff:8.8.8.8', { address: '8.8.8.8', network: '8.8.8.0/24', isPublic: true }],
    ['2a00:1450:4001:82b::200e', { address: '2a00:1450:4001:82b:0:0:0:200e', network: '2a00:1450:4001::/48', isPublic: true }],
    ['192.168.1.1', { address: '192.168.1.1', network: '192.168.1.0/24', isPublic: false }],
    ['100.64.0.1', { address: '100.64.0.1', network: '100.64.0.0/24', isPublic: false }],
    ['::ffff:127.0.0.1', { address: '127.0.0.1', network: '127.0.0.0/24', isPublic: false }],
    ['fe80::1%eth0', { address: 'fe80:0:0:0:0:0:0:1', network: 'fe80::/48', isPublic: false }],
    ['fd00::1', { address: 'fd00:0:0:0:0:0:0:1', network: 'fd00::/48', isPublic: false }],
    ['2001:db8::1', { address: '2001:db8:0:0:0:0:0:1', network: '2001:db8::/48', isPublic: false }],
  ])('reads %s', (ip, expected) => {
    expect(clientAddressOf(ip)).toEqual(expected);
  });

  it.each([...GARBAGE, null, undefined])('%j is no address', (ip) => {
    expect(clientAddressOf(ip)).toBeNull();
  });
});
