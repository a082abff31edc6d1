import { BlockList, isIP } from 'node:net';

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

// Inside global unicast (2000::/3); everything outside it is handled before these are consulted.
const V6_RANGES: ReadonlyArray<[string, number, AddressClass]> = [
  ['2001::', 23, 'reserved'], // IETF protocol assignments, Teredo among them
  ['2001:db8::', 32, 'documentation'],
  ['2002::', 16, 'reserved'], // 6to4: would reach whatever IPv4 address it wraps
  ['3fff::', 20, 'documentation'],
];

function compile(ranges: ReadonlyArray<[string, number, AddressClass]>, type: 'ipv4' | 'ipv6'): Array<[BlockList, AddressClass]> {
  return ranges.map(([network, prefix, kind]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, type);
    return [list, kind];
  });
}

const V4 = compile(V4_RANGES, 'ipv4');
const V6 = compile(V6_RANGES, 'ipv6');

export function classifyAddress(address: string): AddressClass {
  const ip = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  switch (isIP(ip)) {
    case 4:
      return classifyV4(ip);
    case 6:
      return classifyV6(ip);
    default:
      return 'invalid';
  }
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

function classifyV4(ip: string): AddressClass {
  for (const [list, kind] of V4) if (list.check(ip, 'ipv4')) return kind;
  return 'public';
}

function classifyV6(ip: string): AddressClass {
  const h = hextetsOf(ip);
  if (!h) return 'invalid';
  const [h0, h1, h2, h3, h4, h5, h6, h7] = h as [number, number, number, number, number, number, number, number];
  const embeddedV4 = `${h6 >> 8}.${h6 & 0xff}.${h7 >> 8}.${h7 & 0xff}`;
  const zeroTo = (n: number) => h.slice(0, n).every((x) => x === 0);
  if (zeroTo(8)) return 'unspecified';
  if (zeroTo(7) && h7 === 1) return 'loopback';
  if (zeroTo(5) && h5 === 0xffff) return classifyV4(embeddedV4); // IPv4-mapped ::ffff:a.b.c.d
  if (zeroTo(5) && h5 === 0) return 'reserved'; // IPv4-compatible (deprecated)
  if (h0 === 0x64 && h1 === 0xff9b && h2 === 0 && h3 === 0 && h4 === 0 && h5 === 0) return classifyV4(embeddedV4); // NAT64
  if ((h0 & 0xff00) === 0xff00) return 'multicast';
  if ((h0 & 0xfe00) === 0xfc00) return 'unique-local';
  if ((h0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((h0 & 0xffc0) === 0xfec0) return 'private'; // site-local (deprecated)
  if ((h0 & 0xe000) !== 0x2000) return 'reserved'; // not global unicast
  const canonical = h.map((x) => x.toString(16)).join(':');
  for (const [list, kind] of V6) if (list.check(canonical, 'ipv6')) return kind;
  return 'public';
}

/** The eight 16-bit groups of an IPv6 address (zone id dropped, dotted IPv4 tail accepted), or null. */
function hextetsOf(ip: string): number[] | null {
  let text = ip.split('%')[0]!;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const quad = text.slice(lastColon + 1).split('.').map(Number);
    if (quad.length !== 4 || quad.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) return null;
    tail.push((quad[0]! << 8) | quad[1]!, (quad[2]! << 8) | quad[3]!);
    text = text.slice(0, lastColon + 1);
    if (!text.endsWith('::')) text = text.slice(0, -1);
  }
  const [head, rest, extra] = text.split('::');
  if (extra !== undefined) return null;
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN)) : []);
  const left = parse(head);
  const right = [...parse(rest), ...tail];
  const missing = 8 - left.length - right.length;
  if (rest === undefined ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array<number>(rest === undefined ? 0 : missing).fill(0), ...right];
  return groups.every((g) => !Number.isNaN(g)) ? groups : null;
}
