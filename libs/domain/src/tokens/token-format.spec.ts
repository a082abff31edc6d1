import { BASE62_ALPHABET } from './base62';
import { SECRET_LENGTH, TOKEN_SCAN_PATTERN, generateToken, parseToken } from './token-format';

describe('token format', () => {
  it('round-trips: a generated token parses to its environment and lookup id', () => {
    for (const env of ['live', 'test'] as const) {
      const { raw, lookupId, last4 } = generateToken(env);
      expect(parseToken(raw)).toEqual({ environment: env, lookupId, raw });
      expect(raw.endsWith(last4)).toBe(true);
    }
  });

  it('carries at least 256 bits of secret entropy', () => {
    expect(SECRET_LENGTH * Math.log2(62)).toBeGreaterThanOrEqual(256);
  });

  it('is recognised by the documented scanner regex inside surrounding text', () => {
    const { raw } = generateToken('live');
    const found = `export KEY="${raw}" # prod`.match(new RegExp(TOKEN_SCAN_PATTERN, 'g'));
    expect(found).toEqual([raw]);
  });

  it('rejects every single-character change anywhere in the token', () => {
    const { raw } = generateToken('test');
    let accepted = 0;
    for (let i = 0; i < raw.length; i++) {
      for (const ch of BASE62_ALPHABET + '_-') {
        if (ch === raw[i]) continue;
        const mutated = raw.slice(0, i) + ch + raw.slice(i + 1);
        if (parseToken(mutated) !== null) accepted++;
      }
    }
    expect(accepted).toBe(0);
  });

  it('rejects truncated, extended, foreign and non-string inputs', () => {
    const { raw } = generateToken('live');
    for (const bad of [raw.slice(0, -1), `${raw}0`, raw.replace('cus_', 'ghp_'), '', 'cus_live_', ' '.repeat(300)]) {
      expect(parseToken(bad)).toBeNull();
    }
    expect(parseToken(42 as unknown as string)).toBeNull();
  });

  it('does not repeat lookup ids or secrets across many tokens', () => {
    const tokens = Array.from({ length: 2000 }, () => generateToken('live'));
    expect(new Set(tokens.map((t) => t.lookupId)).size).toBe(tokens.length);
    expect(new Set(tokens.map((t) => t.raw)).size).toBe(tokens.length);
  });
});
