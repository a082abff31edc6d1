import { ConfigError, loadConfig } from './custos-config';

const REQUIRED = { DATABASE_URL: 'postgres://localhost/custos', CUSTOS_TOKEN_PEPPER: 'p'.repeat(32), CUSTOS_MASTER_KEY: 'm'.repeat(32) };

describe('CUSTOS_TRUSTED_PROXIES', () => {
  it('trusts no proxy unless told', () => {
    expect(loadConfig(REQUIRED).CUSTOS_TRUSTED_PROXIES).toEqual([]);
    expect(loadConfig({ ...REQUIRED, CUSTOS_TRUSTED_PROXIES: '' }).CUSTOS_TRUSTED_PROXIES).toEqual([]);
  });

  it('reads addresses and CIDRs of both families, separated by commas', () => {
    expect(loadConfig({ ...REQUIRED, CUSTOS_TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.7,2001:db8::/32 ,::1' }).CUSTOS_TRUSTED_PROXIES).toEqual([
      '10.0.0.0/8',
      '192.0.2.7',
      '2001:db8::/32',
      '::1',
    ]);
  });

  it.each(['loopback', '10.0.0.0/33', '10.0.0.0/255.0.0.0', 'fe80::1%eth0', '10.0.0.1;10.0.0.2', '*'])('refuses %j, naming the setting', (value) => {
    expect(() => loadConfig({ ...REQUIRED, CUSTOS_TRUSTED_PROXIES: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...REQUIRED, CUSTOS_TRUSTED_PROXIES: value })).toThrow(/CUSTOS_TRUSTED_PROXIES is invalid: expected IP addresses or CIDRs/);
  });
});

describe('CUSTOS_USAGE_EVENTS', () => {
  it('is on unless switched off, and nothing else', () => {
    expect(loadConfig(REQUIRED).CUSTOS_USAGE_EVENTS).toBe('on');
    expect(loadConfig({ ...REQUIRED, CUSTOS_USAGE_EVENTS: 'off' }).CUSTOS_USAGE_EVENTS).toBe('off');
    expect(() => loadConfig({ ...REQUIRED, CUSTOS_USAGE_EVENTS: 'no' })).toThrow(ConfigError);
  });
});

describe('CUSTOS_GEOIP_DB', () => {
  it('is the bundled database unless a file is named', () => {
    expect(loadConfig(REQUIRED).CUSTOS_GEOIP_DB).toBeUndefined();
    expect(loadConfig({ ...REQUIRED, CUSTOS_GEOIP_DB: '/data/GeoLite2-Country.mmdb' }).CUSTOS_GEOIP_DB).toBe('/data/GeoLite2-Country.mmdb');
  });
});
