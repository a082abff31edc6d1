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
