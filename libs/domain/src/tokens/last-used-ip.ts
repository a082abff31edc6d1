import ipaddr from 'ipaddr.js';

/**
 * An IP address is personal data: a token's last use keeps the network, not the host (IPv4 /24,
 * IPv6 /48). An IPv4-mapped IPv6 address is an IPv4 client and is kept as its IPv4 /24; a zone id
 * names an interface of the server, not the client, and is dropped. Anything that is not an address
 * is kept as nothing.
 */
export function truncateIp(ip: string | null | undefined): string | null {
  if (!ip) return null;
  if (ipaddr.IPv4.isValidFourPartDecimal(ip)) return ipv4Network(ipaddr.IPv4.parse(ip));
  if (!ipaddr.IPv6.isValid(ip)) return null;
  const address = ipaddr.IPv6.parse(ip);
  if (address.isIPv4MappedAddress()) return ipv4Network(address.toIPv4Address());
  const [a, b, c] = address.parts as [number, number, number];
  return `${new ipaddr.IPv6([a, b, c, 0, 0, 0, 0, 0]).toString()}/48`;
}

function ipv4Network(address: ipaddr.IPv4): string {
  const [a, b, c] = address.octets as [number, number, number];
  return `${a}.${b}.${c}.0/24`;
}
