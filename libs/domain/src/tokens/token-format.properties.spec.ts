import { crc32 } from 'node:zlib';
import { TOKEN_ENVIRONMENTS } from '@custos/contracts';
import fc from 'fast-check';
import { BASE62_ALPHABET, encodeBase62Fixed } from './base62';
import { CHECKSUM_LENGTH, LOOKUP_ID_LENGTH, SECRET_LENGTH, generateToken, parseToken } from './token-format';

/**
 * Properties of the token parser (issue 12), with fast-check: each runs in well under a second.
 * A failure prints its seed; CUSTOS_FC_SEED=<seed> replays it (libs/testing/src/fast-check-setup.ts).
 */

const base62 = (length: number) => fc.string({ unit: fc.constantFrom(...BASE62_ALPHABET), minLength: length, maxLength: length });

/**
 * Any token the format allows, built the way docs/token-format.md tells a scanner to check one (CRC32
 * of the rest, fixed-width base62), from generated parts: the whole space, not only what
 * `randomBase62` happens to draw, and reproducible from the seed.
 */
const wellFormedToken = fc
  .record({ environment: fc.constantFrom(...TOKEN_ENVIRONMENTS), lookupId: base62(LOOKUP_ID_LENGTH), secret: base62(SECRET_LENGTH) })
  .map(({ environment, lookupId, secret }) => {
    const payload = `cus_${environment}_${lookupId}${secret}`;
    return { environment, lookupId, raw: payload + encodeBase62Fixed(crc32(payload), CHECKSUM_LENGTH) };
  });

describe('token parser (properties)', () => {
  it('parses every well-formed token to its environment and lookup id', () => {
    fc.assert(
      fc.property(wellFormedToken, (token) => {
        expect(parseToken(token.raw)).toEqual(token);
      }),
      { numRuns: 2000 },
    );
  });

  it('parses every token generateToken makes', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TOKEN_ENVIRONMENTS), (environment) => {
        const { raw, lookupId } = generateToken(environment);
        expect(parseToken(raw)).toEqual({ environment, lookupId, raw });
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses every single-character change of a token, to any character', () => {
    const change = wellFormedToken.chain((token) =>
      fc.record({
        raw: fc.constant(token.raw),
        index: fc.nat({ max: token.raw.length - 1 }),
        // Mostly look-alike characters (the base62 alphabet and the separators), sometimes anything.
        replacement: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...`${BASE62_ALPHABET}_-`) },
          { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
        ),
      }),
    );
    fc.assert(
      fc.property(change, ({ raw, index, replacement }) => {
        fc.pre(replacement !== raw[index]);
        expect(parseToken(raw.slice(0, index) + replacement + raw.slice(index + 1))).toBeNull();
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses random look-alikes: the right shape with a random body fails the checksum', () => {
    // A random body passes CRC32 with probability 2^-32: about 1 in 4 million runs of this property.
    fc.assert(
      fc.property(fc.constantFrom(...TOKEN_ENVIRONMENTS), base62(LOOKUP_ID_LENGTH + SECRET_LENGTH + CHECKSUM_LENGTH), (environment, body) => {
        expect(parseToken(`cus_${environment}_${body}`)).toBeNull();
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses random strings and never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.anything()), (input) => {
        expect(parseToken(input as string)).toBeNull();
      }),
      { numRuns: 2000 },
    );
  });
});
