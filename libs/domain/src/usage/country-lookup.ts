import { clientAddressOf, type ClientAddress } from './client-network';

/**
 * Where an address is, as far as a country: what the use cases ask of the geolocation database (the
 * runtime's CountryLocator), and its Nest injection token. Null for private, loopback, unknown and
 * malformed addresses.
 */
export abstract class CountryLookup {
  /** The country of an address already read with clientAddressOf (once for network, hash and country). */
  abstract countryOfClient(client: ClientAddress): string | null;

  countryOf(ip: string | null | undefined): string | null {
    const client = clientAddressOf(ip);
    return client ? this.countryOfClient(client) : null;
  }
}
