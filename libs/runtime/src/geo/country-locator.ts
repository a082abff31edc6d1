import { readFileSync } from 'node:fs';
import { CountryLookup, isCountryCode, type ClientAddress } from '@custos/domain';
import { LRUCache } from 'lru-cache';
import { Reader, type Response } from 'maxmind';

/**
 * The country database shipped with Custos: ip-location-db's geo-whois-asn-country (built from the
 * regional internet registries' WHOIS and ASN data and published geofeeds; data CC BY 4.0 by the NRO,
 * https://www.nro.net), IPv4 and IPv6 in one MMDB file of the npm package. CUSTOS_GEOIP_DB replaces it.
 */
export const BUNDLED_COUNTRY_DATABASE = require.resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');

/** The record shapes of country databases: ip-location-db's, and MaxMind's GeoIP2/GeoLite2 Country or City. */
interface CountryRecord {
  country_code?: string;
  country?: { iso_code?: string };
  registered_country?: { iso_code?: string };
}

const DECODED_RECORDS_MAX = 10_000;

/** What the database is, for the start-up log and the docs. */
export interface CountryDatabaseInfo {
  path: string;
  databaseType: string;
  builtAt: Date;
}

/**
 * Country of an IP address from an MMDB file, read once into memory at start (a few megabytes) and
 * looked up there in microseconds (bench/geo-lookup.ts). Only public addresses are looked up: private,
 * loopback, link-local, documentation and other special-purpose ranges have no country (and some
 * databases give them one by mistake), nor has anything that is not an address.
 */
export class CountryLocator extends CountryLookup {
  private readonly ipv4Only: boolean;

  private constructor(
    private readonly reader: Reader<Response>,
    readonly info: CountryDatabaseInfo,
  ) {
    super();
    this.ipv4Only = reader.metadata.ipVersion === 4;
  }

  /** Opens the database at `path` (default: the bundled one); a missing or unreadable file stops the start. */
  static open(path: string = BUNDLED_COUNTRY_DATABASE): CountryLocator {
    let reader: Reader<Response>;
    try {
      // Decoded records by offset, as maxmind's own open() caches them: a country database has a few
      // hundred, so every lookup after the first of a country skips decoding.
      reader = new Reader<Response>(readFileSync(path), { cache: new LRUCache<number, object>({ max: DECODED_RECORDS_MAX }) });
    } catch (error) {
      throw new Error(`cannot open the country database ${path} (CUSTOS_GEOIP_DB): ${(error as Error).message}`, { cause: error });
    }
    return new CountryLocator(reader, { path, databaseType: reader.metadata.databaseType, builtAt: reader.metadata.buildEpoch });
  }

  override countryOfClient(client: ClientAddress): string | null {
    if (!client.isPublic) return null;
    // An IPv4-only database (one given in CUSTOS_GEOIP_DB) would answer an IPv6 address with whatever
    // its first bits lead to: not known instead.
    if (this.ipv4Only && client.address.includes(':')) return null;
    let record: CountryRecord | null;
    try {
      record = this.reader.get(client.address) as CountryRecord | null;
    } catch {
      // A damaged record: the location is unknown, the request goes on.
      return null;
    }
    const code = record?.country_code ?? record?.country?.iso_code ?? record?.registered_country?.iso_code;
    return code !== undefined && isCountryCode(code) ? code : null;
  }
}

/** No geolocation (CUSTOS_GEOIP_DB=off): every address is of an unknown country. */
export class NoCountryLookup extends CountryLookup {
  countryOfClient(): string | null {
    return null;
  }
}
