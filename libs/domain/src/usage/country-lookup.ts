/**
 * Where an address is, as far as a country: what the use cases ask of the geolocation database (the
 * runtime's CountryLocator) and a Nest injection token. Null for private, loopback, unknown and
 * malformed addresses.
 */
export abstract class CountryLookup {
  abstract countryOf(ip: string | null | undefined): string | null;
}
