import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BUNDLED_COUNTRY_DATABASE, CountryLocator, NoCountryLookup } from './country-locator';

describe('CountryLocator on the bundled database', () => {
  const locator = CountryLocator.open();

  it('is the combined IPv4 and IPv6 country file of the package', () => {
    expect(locator.info).toMatchObject({ path: BUNDLED_COUNTRY_DATABASE, databaseType: 'country ipvAll' });
    expect(locator.info.builtAt.getTime()).toBeGreaterThan(Date.parse('2026-01-01'));
  });

  // Addresses of long-lived networks, on which several country databases agree.
  it.each<[string, string]>([
    ['8.8.8.8', 'US'],
    ['4.2.2.2', 'US'],
    ['193.99.144.80', 'DE'],
    ['194.25.2.129', 'DE'],
    ['217.160.0.1', 'DE'],
    ['80.67.169.12', 'FR'],
    ['212.58.244.22', 'GB'],
    ['133.11.0.1', 'JP'],
    ['2001:4860:4860::8888', 'US'],
    // the same client, as a dual-stack socket reports it: the database alone knows no country for it
    ['::ffff:8.8.8.8', 'US'],
    ['::FFFF:193.99.144.80', 'DE'],
  ])('places %s in %s', (ip, country) => {
    expect(locator.countryOf(ip)).toBe(country);
  });

  it.each([
    // private, loopback, link-local, shared (CGNAT), documentation, unique-local: no country, even
    // where the database claims one (it puts 192.168.1.1 in AU)
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '127.0.0.1',
    '169.254.169.254',
    '100.64.0.1',
    '192.0.2.1',
    '198.51.100.7',
    '203.0.113.9',
    '::1',
    'fe80::1%eth0',
    'fd12:3456:789a::1',
    '2001:db8::1',
    '::ffff:192.168.1.1',
    // not addresses
    '',
    'garbage',
    '127.1',
    '8.8.8.8.8',
    '8.8.8.8/32',
  ])('knows no country for %j', (ip) => {
    expect(locator.countryOf(ip)).toBeNull();
  });

  it('knows no country without an address', () => {
    expect(locator.countryOf(null)).toBeNull();
    expect(locator.countryOf(undefined)).toBeNull();
  });
});

describe('CountryLocator on a database given in CUSTOS_GEOIP_DB', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'custos-geo-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads MaxMind-shaped records (GeoIP2/GeoLite2 Country), and asks an IPv4-only file nothing about IPv6', () => {
    const path = join(dir, 'country.mmdb');
    writeFileSync(path, everyAddressIn('DE'));
    const locator = CountryLocator.open(path);
    expect(locator.info.databaseType).toBe('Test-Country');
    expect(locator.countryOf('8.8.8.8')).toBe('DE');
    expect(locator.countryOf('::ffff:8.8.8.8')).toBe('DE');
    expect(locator.countryOf('2001:4860:4860::8888')).toBeNull();
  });

  it("uses the package's IPv4-only file for IPv4 and nothing else", () => {
    const locator = CountryLocator.open(join(dirname(BUNDLED_COUNTRY_DATABASE), 'geo-whois-asn-country-ipv4.mmdb'));
    expect(locator.countryOf('8.8.8.8')).toBe('US');
    expect(locator.countryOf('2001:4860:4860::8888')).toBeNull();
  });

  it('refuses to start on a missing or unreadable file, naming the setting', () => {
    expect(() => CountryLocator.open(join(dir, 'missing.mmdb'))).toThrow(/cannot open the country database .*missing\.mmdb \(CUSTOS_GEOIP_DB\)/);
    const junk = join(dir, 'junk.mmdb');
    writeFileSync(junk, 'not a database');
    expect(() => CountryLocator.open(junk)).toThrow(/CUSTOS_GEOIP_DB/);
  });
});

/**
 * The smallest MMDB file (https://maxmind.github.io/MaxMind-DB/): an IPv4 tree of one node whose two
 * records both point at one record `{ country: { iso_code } }`, as MaxMind's country databases shape it.
 */
function everyAddressIn(isoCode: string): Buffer {
  const nodeCount = 1;
  const dataPointer = nodeCount + 16; // data section offset 0
  const node = Buffer.from([dataPointer >> 16, (dataPointer >> 8) & 0xff, dataPointer & 0xff, dataPointer >> 16, (dataPointer >> 8) & 0xff, dataPointer & 0xff]);
  const data = map([['country', map([['iso_code', text(isoCode)]])]]);
  const metadata = map([
    ['binary_format_major_version', uint16(2)],
    ['binary_format_minor_version', uint16(0)],
    ['build_epoch', uint16(0)],
    ['database_type', text('Test-Country')],
    ['description', map([])],
    ['ip_version', uint16(4)],
    ['languages', Buffer.from([0x00, 0x04])], // an empty array (extended type 11)
    ['node_count', uint16(nodeCount)],
    ['record_size', uint16(24)],
  ]);
  return Buffer.concat([node, Buffer.alloc(16), data, Buffer.from('abcdef4d61784d696e642e636f6d', 'hex'), metadata]);
}

function text(value: string): Buffer {
  return Buffer.concat([Buffer.from([(2 << 5) | value.length]), Buffer.from(value, 'utf8')]);
}

function uint16(value: number): Buffer {
  return Buffer.from([(5 << 5) | 2, value >> 8, value & 0xff]);
}

function map(entries: [string, Buffer][]): Buffer {
  return Buffer.concat([Buffer.from([(7 << 5) | entries.length]), ...entries.flatMap(([key, value]) => [text(key), value])]);
}

describe('NoCountryLookup (CUSTOS_GEOIP_DB=off)', () => {
  it('places no address, public or not', () => {
    const none = new NoCountryLookup();
    expect([none.countryOf('85.214.132.117'), none.countryOf('8.8.8.8'), none.countryOf('2a00:1450:4001:82a::200e')]).toEqual([null, null, null]);
  });
});
