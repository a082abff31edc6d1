import { RedisKeys, installationNamespace } from './redis-keys';

describe('RedisKeys', () => {
  it('puts every name of an installation under its hash-tagged namespace', () => {
    const keys = new RedisKeys('{custos-0123456789ab}');
    expect(keys.queuePrefix).toBe('{custos-0123456789ab}');
    expect(keys.workerHeartbeat).toBe('{custos-0123456789ab}:workers');
    expect(keys.tokenInvalidationChannel).toBe('{custos-0123456789ab}:token-invalidations');
    expect(keys.key('login-limits', 'ip')).toBe('{custos-0123456789ab}:login-limits:ip');
  });

  it('refuses a namespace without a hash tag, and empty key parts', () => {
    expect(() => new RedisKeys('custos')).toThrow(/hash tag/);
    expect(() => new RedisKeys('{custos} x')).toThrow(/hash tag/);
    expect(() => new RedisKeys('{custos}').key()).toThrow();
    expect(() => new RedisKeys('{custos}').key('a', '')).toThrow();
  });

  it('derives a distinct default namespace from each installation id', () => {
    expect(installationNamespace('0123456789abcdef0123456789abcdef')).toBe('{custos-0123456789ab}');
    expect(installationNamespace('fedcba98765432100123456789abcdef')).not.toBe(installationNamespace('0123456789abcdef0123456789abcdef'));
    expect(() => installationNamespace('not-an-id')).toThrow();
  });
});
