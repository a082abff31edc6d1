import ipaddr, { type IPv4, type IPv6 } from 'ipaddr.js';
import { parseAddress } from '../webhooks/address-class';

/*
 * A client's IP address is personal data. What Custos keeps of it is the network it sits in (IPv4 /24,
 * IPv6 /48: where a use came from, not who made it) and, to count distinct addresses, a keyed hash of
 * the whole address under a per-tenant key (AddressHasher, libs/crypto), never the address itself.
 * Both read the address the same way: an IPv4-mapped IPv6 address (`::ffff:198.51.100.23`, what a
 * dual-stack socket reports for an IPv4 peer) is that IPv4 client; a zone id (`fe80::1%eth0`) names
 * an interface of the server, not the client, and is dropped; anything else is no address at all.
 */
function clientAddress(ip: string | null | undefined): IPv4 | IPv6 | null {
  if (!ip) return null;
  const address = parseAddress(ip);
  if (address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress()) return address.toIPv4Address();
  return address;
}

/**
 * The address in one spelling per client, to hash: dotted IPv4 (mapped IPv6 unwrapped), RFC 5952 IPv6
 * without zone id (`2001:DB8:0::1` → `2001:db8::1`). Null when it is not an address.
 */
export function canonicalAddress(ip: string | null | undefined): string | null {
  const address = clientAddress(ip);
  if (!address) return null;
  return address instanceof ipaddr.IPv4 ? address.toString() : new ipaddr.IPv6(address.parts).toString();
}

/** The client's network as CIDR text: `203.0.113.0/24`, `2001:db8:1234::/48`; null when not an address. */
export function networkOf(ip: string | null | undefined): string | null {
  const address = clientAddress(ip);
  if (!address) return null;
  if (address instanceof ipaddr.IPv4) {
    const [a, b, c] = address.octets as [number, number, number];
    return `${a}.${b}.${c}.0/24`;
  }
  const [a, b, c] = address.parts as [number, number, number];
  return `${new ipaddr.IPv6([a, b, c, 0, 0, 0, 0, 0]).toString()}/48`;
}
