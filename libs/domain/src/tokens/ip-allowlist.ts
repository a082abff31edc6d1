import { BlockList, isIP } from 'node:net';

export function isValidCidr(cidr: string): boolean {
  const [address, bits, extra] = cidr.split('/');
  if (!address || extra !== undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  const prefix = Number(bits);
  return prefix >= 0 && prefix <= (family === 4 ? 32 : 128);
}

/** An allow-list of CIDRs compiled once per token snapshot; an empty list allows every address. */
export class IpAllowList {
  private readonly list = new BlockList();
  readonly isEmpty: boolean;

  constructor(cidrs: readonly string[]) {
    this.isEmpty = cidrs.length === 0;
    for (const cidr of cidrs) {
      const [address, bits] = cidr.split('/') as [string, string | undefined];
      const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) this.list.addAddress(address, type);
      else this.list.addSubnet(address, Number(bits), type);
    }
  }

  allows(ip: string | undefined): boolean {
    if (this.isEmpty) return true;
    if (!ip) return false;
    const family = isIP(ip);
    if (family === 0) return false;
    return this.list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
  }
}

interface Cidr {
  address: string;
  family: 'ipv4' | 'ipv6';
  bits: number;
}

function parseCidr(cidr: string): Cidr {
  const [address, bits] = cidr.split('/') as [string, string | undefined];
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  return { address, family, bits: bits === undefined ? (family === 'ipv6' ? 128 : 32) : Number(bits) };
}

/**
 * The entries of `next` that let through an address `current` would not: restrictions only narrow
 * unless someone allowed to widen them says so. An empty list allows everything, so emptying a list
 * widens it, and any list narrows an empty one. An entry counts as covered only by a single entry of
 * `current` that contains it (blocks are aligned, so a wider block holding one of its addresses holds
 * it all); one covered only by the union of several is reported too, erring on the safe side.
 */
export function widenedCidrs(current: readonly string[], next: readonly string[]): string[] {
  if (current.length === 0) return [];
  if (next.length === 0) return ['(no restriction)'];
  const blocks = current.map(parseCidr).map((block) => {
    const list = new BlockList();
    list.addSubnet(block.address, block.bits, block.family);
    return { ...block, list };
  });
  return next.filter((cidr) => {
    const entry = parseCidr(cidr);
    return !blocks.some((b) => b.family === entry.family && b.bits <= entry.bits && b.list.check(entry.address, entry.family));
  });
}
