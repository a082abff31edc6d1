import { lookup } from 'node:dns';
import { lookup as lookupAll } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { classifyAddress, describeAddressClass } from '@custos/domain';

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** A name lookup: every address the name resolves to. */
export type ResolveAll = (hostname: string) => Promise<string[]>;

const RESOLVE_TIMEOUT_MS = 5000;

/** The system resolver (hosts file included), bounded in time: a request must not hang on DNS. */
const resolveWithSystem: ResolveAll = async (hostname) => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('DNS lookup timed out')), RESOLVE_TIMEOUT_MS);
  });
  try {
    const found = await Promise.race([lookupAll(hostname, { all: true, verbatim: true }), timeout]);
    return found.map((a) => a.address);
  } finally {
    clearTimeout(timer);
  }
};

export type UrlCheck = { url: string } | { problem: string };

/**
 * Whether a webhook may target this URL: an absolute http(s) URL without credentials; unless private
 * targets are allowed, https only and public addresses only. A literal IP is judged as it is; a name by
 * every address it resolves to now. That a name resolves to a public address today proves nothing
 * tomorrow (DNS rebinding), so every delivery checks again the address it connects to (guardedLookup,
 * and postWebhook's check of the connected socket). Answers the normalised URL, which is what is called.
 */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean, resolve: ResolveAll = resolveWithSystem): Promise<UrlCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'must be an absolute http or https URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: 'must use https (or http)' };
  if (url.username || url.password) return { problem: 'must not contain a user name or password' };
  if (url.href.length > MAX_WEBHOOK_URL_LENGTH) return { problem: `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters` };
  if (allowPrivate) return { url: url.href };
  // The target before the scheme: for http://10.0.0.1/ the answer that matters is "private address".
  const problem = await targetProblem(hostOf(url), resolve);
  if (problem) return { problem };
  if (url.protocol === 'http:') return { problem: 'must use https' };
  return { url: url.href };
}

async function targetProblem(host: string, resolve: ResolveAll): Promise<string | null> {
  if (isIP(host)) {
    const kind = classifyAddress(host);
    return kind === 'public' ? null : `points to ${describeAddressClass(kind)}`;
  }
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    return 'has a host name that does not resolve';
  }
  if (addresses.length === 0) return 'has a host name that does not resolve';
  for (const address of addresses) {
    const kind = classifyAddress(address);
    if (kind !== 'public') return `resolves to ${describeAddressClass(kind)}`;
  }
  return null;
}

/** The URL's host as an address or name: IPv6 literals lose their brackets. */
export function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/** Why a delivery must not go to this address, or null when it may. */
export function addressRefusal(address: string, allowPrivate: boolean): string | null {
  if (allowPrivate) return null;
  const kind = classifyAddress(address);
  return kind === 'public' ? null : `refused: the host resolves to ${describeAddressClass(kind)}`;
}

/**
 * A DNS lookup for node:http(s) that refuses non-public addresses, so the address checked is the
 * address connected to: a name that resolved to a public address at creation and to an internal one
 * now (DNS rebinding) is refused at delivery. Any refused address fails the whole lookup.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      for (const { address } of addresses) {
        const refusal = addressRefusal(address, allowPrivate);
        if (refusal) return callback(Object.assign(new Error(refusal), { code: 'ECUSTOSREFUSED' }), []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      return callback(null, first.address, first.family);
    });
  };
}
