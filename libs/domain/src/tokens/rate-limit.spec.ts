import { loosensRateLimit } from './rate-limit';

describe('loosensRateLimit', () => {
  const perMinute = (limit: number) => ({ limit, windowSeconds: 60 });

  it('sees lifting a limit, a larger budget and a faster rate as loosening', () => {
    expect(loosensRateLimit(perMinute(100), null)).toBe(true);
    expect(loosensRateLimit(perMinute(100), perMinute(101))).toBe(true);
    expect(loosensRateLimit(perMinute(100), { limit: 100, windowSeconds: 30 })).toBe(true);
  });

  it('sees setting a first limit, a smaller budget and a slower rate as tightening', () => {
    expect(loosensRateLimit(null, perMinute(100))).toBe(false);
    expect(loosensRateLimit(null, null)).toBe(false);
    expect(loosensRateLimit(perMinute(100), perMinute(5))).toBe(false);
    expect(loosensRateLimit(perMinute(100), { limit: 100, windowSeconds: 3600 })).toBe(false);
  });
});
