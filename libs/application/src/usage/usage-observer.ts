import { Injectable } from '@nestjs/common';
import { AddressHasher } from '@custos/crypto';
import { clientAddressOf, CountryLookup, regionsOf, type UsageKind, type UsageTransport } from '@custos/domain';
import { LRUCache } from 'lru-cache';
import { UsageEventWriter } from './usage-event-writer';

/** Where a request came from, as the api read it (behind CUSTOS_TRUSTED_PROXIES, the client past them). */
export interface RequestOrigin {
  ip: string | undefined;
  transport: UsageTransport;
  userAgent: string | undefined;
}

/** One use as the verify path or the API saw it, before its address is reduced and located. */
export interface ObservedUse {
  tenantId: string;
  kind: UsageKind;
  tokenId: string | null;
  callerId: string | null;
  outcome: string;
  /** The address of whoever presented the token: `context.ip` when the calling service passed it, else the caller's own. */
  clientIp: string | undefined;
  claimedCountry: string | undefined;
  resource: string | undefined;
  origin: RequestOrigin;
  /** The use came from outside the token's residency region. */
  crossBorder: boolean;
  /** Outside the token's geofence in monitor mode. */
  geoFlagged: boolean;
  /** How many uses this stands for (a service's report of cached verifies); 1 when left out. */
  uses?: number;
}

/** What a use keeps of its client's address, read once: never the address itself. */
export interface LocatedClient {
  /** Its network: `203.0.113.0/24`, `2001:db8:1234::/48`; null when it was no address. */
  network: string | null;
  /** The tenant's keyed hash of the whole address (AddressHasher); null when it was no address or no events are kept. */
  addressHash: string | null;
  /** Looked up for public addresses only. */
  country: string | null;
  /** The country's built-in region group. */
  region: string | null;
}

const NOWHERE: LocatedClient = Object.freeze({ network: null, addressHash: null, country: null, region: null });

/**
 * Clients located recently, per tenant. A client calls again and again, so most uses find theirs here
 * and skip parsing, the country lookup and the hash (about 9 µs of a verify's CPU in bench:usage), as
 * MaxMind's own reader caches. Bounded; held in memory only, like the request that brought the address.
 */
const LOCATED_CLIENTS_MAX = 10_000;

/**
 * Turns a use into a usage event: the address read once, kept only as its network and a keyed hash, its
 * country looked up (never taken from the caller's claim, which is recorded beside it), and buffered for
 * the writer. Costs microseconds and never waits on I/O, so the verify path can call it on every answer.
 */
@Injectable()
export class UsageObserver {
  private readonly located = new LRUCache<string, LocatedClient>({ max: LOCATED_CLIENTS_MAX });

  constructor(
    private readonly writer: UsageEventWriter,
    private readonly countries: CountryLookup,
    private readonly addresses: AddressHasher,
  ) {}

  /** Reads an address once, for the verify rules (its country) and then for its event. */
  locate(tenantId: string, ip: string | undefined): LocatedClient {
    if (!ip) return NOWHERE;
    const key = `${tenantId} ${ip}`;
    let located = this.located.get(key);
    if (!located) this.located.set(key, (located = this.locateAnew(tenantId, ip)));
    return located;
  }

  observe(use: ObservedUse, located: LocatedClient = this.locate(use.tenantId, use.clientIp), at = new Date()): void {
    this.writer.record({
      tenantId: use.tenantId,
      occurredAt: at,
      kind: use.kind,
      tokenId: use.tokenId,
      callerId: use.callerId,
      outcome: use.outcome,
      ipPrefix: located.network,
      ipHash: located.addressHash,
      country: located.country,
      claimedCountry: use.claimedCountry ?? null,
      region: located.region,
      resource: use.resource ?? null,
      transport: use.origin.transport,
      userAgent: use.origin.userAgent ?? null,
      crossBorder: use.crossBorder,
      geoFlagged: use.geoFlagged,
      ...(use.uses !== undefined && use.uses !== 1 ? { uses: use.uses } : {}),
    });
  }

  private locateAnew(tenantId: string, ip: string): LocatedClient {
    const client = clientAddressOf(ip);
    if (!client) return NOWHERE;
    const country = client.isPublic ? this.countries.countryOfClient(client) : null;
    return {
      network: client.network,
      addressHash: this.writer.recording ? this.addresses.hash(tenantId, client.address) : null,
      country,
      region: country ? (regionsOf(country)[0] ?? null) : null,
    };
  }
}
