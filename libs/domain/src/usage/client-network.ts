import ipaddr, { type IPv4, type IPv6 } from 'ipaddr.js';
import { classifyParsedAddress, isIPv4Mapped, parseAddress } from '../webhooks/address-class';

/*
 * A client's IP address is personal data. What Custos keeps of it is the network it sits in (IPv4 /24,
 * IPv6 /48: where a use came from, not who made it) and, to count distinct addresses, a keyed hash of
 * the whole address under a per-tenant key (AddressHasher, libs/crypto), never the address itself.
 * All of it reads the address the same way: an IPv4-mapped IPv6 address (`::ffff:198.51.100.23`, what
 * a dual-stack socket reports for an IPv4 peer) is that IPv4 client; a zone id (`fe80::1%eth0`) names
 * an interface of the server, not the client, and is dropped; anything else is no address at all.
 */

/** A client address read once for everything a use records of it (clientAddressOf). */
export interface ClientAddress {
  /**
   * The address in one spelling per client, to hash and to look up, never to show: dotted IPv4 (a
   * mapped IPv6 address unwrapped), or IPv6 as its eight groups in lower-case hex without leading zeros
   * (`2001:db8:0:0:0:0:0:1`), no zone id.
   */
  readonly address: string;
  /** Its network: `203.0.113.0/24`, `2001:db8:1234::/48`. */
  readonly network: string;
  /** Whether it is a public address (classifyAddress), the only kind with a country. */
  readonly isPublic: boolean;
}

function clientAddress(ip: string | null | undefined): IPv4 | IPv6 | null {
  if (!ip) return null;
  const address = parseAddress(ip);
  if (address instanceof ipaddr.IPv6 && isIPv4Mapped(address)) return address.toIPv4Address();
  return address;
}

// Hand-written rather than ipaddr's RFC 5952 toString, which costs about 2 µs an address: with the last
// five groups zero, the zero run to compress is always the one that ends the address.
function networkText(address: IPv4 | IPv6): string {
  if (address instanceof ipaddr.IPv4) {
    const [a, b, c] = address.octets as [number, number, number];
    return `${a}.${b}.${c}.0/24`;
  }
  const groups = address.parts.slice(0, 3);
  while (groups.length > 0 && groups[groups.length - 1] === 0) groups.pop();
  return `${groups.map((g) => g.toString(16)).join(':')}::/48`;
}

function canonicalText(address: IPv4 | IPv6): string {
  return address instanceof ipaddr.IPv4 ? address.toString() : address.parts.map((g) => g.toString(16)).join(':');
}

/** The address read once: its canonical spelling, network and whether it is public; null when not an address. */
export function clientAddressOf(ip: string | null | undefined): ClientAddress | null {
  const address = clientAddress(ip);
  if (!address) return null;
  return { address: canonicalText(address), network: networkText(address), isPublic: classifyParsedAddress(address) === 'public' };
}

/** The address in one spelling per client (ClientAddress.address), to hash; null when not an address. */
export function canonicalAddress(ip: string | null | undefined): string | null {
  const address = clientAddress(ip);
  return address ? canonicalText(address) : null;
}

/** The client's network as CIDR text: `203.0.113.0/24`, `2001:db8:1234::/48`; null when not an address. */
export function networkOf(ip: string | null | undefined): string | null {
  const address = clientAddress(ip);
  return address ? networkText(address) : null;
}
