import { Injectable } from '@nestjs/common';
import { AddressHasher } from '@custos/crypto';
import { clientAddressOf, CountryLookup, regionsOf, type ClientAddress, type UsageKind, type UsageTransport } from '@custos/domain';
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
}

/** A client address read once: what is kept of it, and where it is. */
export interface LocatedClient {
  client: ClientAddress | null;
  country: string | null;
}

/**
 * Turns a use into a usage event: the address read once, kept only as its network and a keyed hash, its
 * country looked up (never taken from the caller's claim, which is recorded beside it), and buffered for
 * the writer. Costs microseconds and never waits on I/O, so the verify path can call it on every answer.
 */
@Injectable()
export class UsageObserver {
  constructor(
    private readonly writer: UsageEventWriter,
    private readonly countries: CountryLookup,
    private readonly addresses: AddressHasher,
  ) {}

  /** Reads an address once, for the verify rules (its country) and then for its event. */
  locate(ip: string | undefined): LocatedClient {
    const client = clientAddressOf(ip);
    return { client, country: client?.isPublic ? this.countries.countryOfClient(client) : null };
  }

  observe(use: ObservedUse, located: LocatedClient = this.locate(use.clientIp), at = new Date()): void {
    const { client, country } = located;
    this.writer.record({
      tenantId: use.tenantId,
      occurredAt: at,
      kind: use.kind,
      tokenId: use.tokenId,
      callerId: use.callerId,
      outcome: use.outcome,
      ipPrefix: client?.network ?? null,
      ipHash: client ? this.addresses.hash(use.tenantId, client.address) : null,
      country,
      claimedCountry: use.claimedCountry ?? null,
      region: country ? (regionsOf(country)[0] ?? null) : null,
      resource: use.resource ?? null,
      transport: use.origin.transport,
      userAgent: use.origin.userAgent ?? null,
      crossBorder: use.crossBorder,
      geoFlagged: use.geoFlagged,
    });
  }
}
