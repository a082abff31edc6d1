import { isIP } from 'node:net';
import ipaddr, { type IPv4, type IPv6 } from 'ipaddr.js';

/**
 * What kind of address an IP is, for server-side request forgery checks: only `public` addresses may
 * receive webhooks unless private targets are explicitly allowed. Built from the IANA special-purpose
 * registries; IPv6 outside 2000::/3 (global unicast) is never public, and IPv6 forms that carry an IPv4
 * address (IPv4-mapped, NAT64) are judged by that IPv4 address.
 */
export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'unique-local'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'reserved'
  | 'invalid';

const V4_RANGES: ReadonlyArray<[string, number, AddressClass]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['255.255.255.255', 32, 'broadcast'],
  ['240.0.0.0', 4, 'reserved'],
];

// IPv6 outside global unicast (2000::/3), by the IANA IPv6 special-purpose registry; the first match wins.
const V6_SPECIAL: ReadonlyArray<[string, number, AddressClass]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::', 96, 'reserved'], // IPv4-compatible (deprecated)
  ['ff00::', 8, 'multicast'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'private'], // site-local (deprecated)
];

// Inside global unicast (2000::/3); everything outside it is handled before these are consulted.
const V6_RANGES: ReadonlyArray<[string, number, AddressClass]> = [
  ['2001::', 23, 'reserved'], // IETF protocol assignments, Teredo among them
  ['2001:db8::', 32, 'documentation'],
  ['2002::', 16, 'reserved'], // 6to4: would reach whatever IPv4 address it wraps
  ['3fff::', 20, 'documentation'],
];

type Range<A> = [network: A, prefix: number, kind: AddressClass];

const V4 = V4_RANGES.map(([network, prefix, kind]): Range<IPv4> => [ipaddr.IPv4.parse(network), prefix, kind]);
const V6_OUTSIDE_GLOBAL = V6_SPECIAL.map(([network, prefix, kind]): Range<IPv6> => [ipaddr.IPv6.parse(network), prefix, kind]);
const V6_GLOBAL = V6_RANGES.map(([network, prefix, kind]): Range<IPv6> => [ipaddr.IPv6.parse(network), prefix, kind]);
const GLOBAL_UNICAST: [IPv6, number] = [ipaddr.IPv6.parse('2000::'), 3];
const NAT64: [IPv6, number] = [ipaddr.IPv6.parse('64:ff9b::'), 96];

/**
 * An IP address as ipaddr.js reads it, or null for anything else. node's isIP is the strict gate (no
 * '127.1' or '0x7f.0.0.1' shorthands, which ipaddr.js would read as addresses); ipaddr.js parses what
 * it lets through, zone id and dotted IPv4 tail included. A bracketed IPv6 literal (`[::1]`) is read too.
 */
export function parseAddress(address: string): IPv4 | IPv6 | null {
  const ip = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  switch (isIP(ip)) {
    case 4:
      return ipaddr.IPv4.parse(ip);
    case 6:
      // parse alone, not isValid first: that parses too, and IPv6 parsing is the costly part.
      try {
        return ipaddr.IPv6.parse(ip);
      } catch {
        return null;
      }
    default:
      return null;
  }
}

export function classifyAddress(address: string): AddressClass {
  const parsed = parseAddress(address);
  return parsed ? classifyParsedAddress(parsed) : 'invalid';
}

/** classifyAddress of an address parseAddress has read. */
export function classifyParsedAddress(address: IPv4 | IPv6): AddressClass {
  return address instanceof ipaddr.IPv4 ? classifyV4(address) : classifyV6(address);
}

export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === 'public';
}

/** Words for a field error: "resolves to a loopback address". */
export function describeAddressClass(kind: AddressClass): string {
  switch (kind) {
    case 'public':
      return 'a public address';
    case 'unspecified':
      return 'an unspecified address';
    case 'loopback':
      return 'a loopback address';
    case 'private':
      return 'a private address';
    case 'shared':
      return 'a shared (carrier-grade NAT) address';
    case 'link-local':
      return 'a link-local address';
    case 'unique-local':
      return 'a unique local (private) address';
    case 'multicast':
      return 'a multicast address';
    case 'broadcast':
      return 'a broadcast address';
    case 'documentation':
      return 'a documentation address';
    case 'reserved':
      return 'a reserved address';
    case 'invalid':
      return 'an invalid address';
  }
}

function classifyV4(address: IPv4): AddressClass {
  return V4.find(([network, prefix]) => address.match(network, prefix))?.[2] ?? 'public';
}

function classifyV6(address: IPv6): AddressClass {
  if (isIPv4Mapped(address)) return classifyV4(address.toIPv4Address()); // ::ffff:a.b.c.d
  if (address.match(NAT64)) return classifyV4(embeddedV4(address));
  const special = V6_OUTSIDE_GLOBAL.find(([network, prefix]) => address.match(network, prefix));
  if (special) return special[2];
  if (!address.match(GLOBAL_UNICAST)) return 'reserved';
  return V6_GLOBAL.find(([network, prefix]) => address.match(network, prefix))?.[2] ?? 'public';
}

/**
 * ::ffff:0:0/96, an IPv4 client on a dual-stack socket. ipaddr.js's isIPv4MappedAddress asks range(),
 * which tries every special range in turn: a microsecond an address on paths that run per request.
 */
export function isIPv4Mapped(address: IPv6): boolean {
  const [a, b, c, d, e, f] = address.parts;
  return a === 0 && b === 0 && c === 0 && d === 0 && e === 0 && f === 0xffff;
}

/** The IPv4 address in the last 32 bits, as NAT64 (RFC 6052) carries it. */
function embeddedV4(address: IPv6): IPv4 {
  const [high, low] = address.parts.slice(6) as [number, number];
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}
