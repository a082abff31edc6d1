import fc from 'fast-check';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-body';

/** Nesting depth as the parser sees it: `1` for `{}` or `[]`, `0` for a scalar. */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce<number>((deepest, child) => Math.max(deepest, depthOf(child)), 0);
}

describe('nestsDeeperThan', () => {
  it('counts objects and arrays, not brackets inside strings', () => {
    expect(nestsDeeperThan('{"a":[{"b":[]}]}', 3)).toBe(true);
    expect(nestsDeeperThan('{"a":[{"b":[]}]}', 4)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ s: '[[[[[[{{{{{{', t: 'a\\"[[[[[' }), 1)).toBe(false);
  });

  it('catches the 40,000-deep body of issue 12 without building it', () => {
    expect(nestsDeeperThan(`{"name":${'['.repeat(40_000)}${']'.repeat(40_000)}}`, MAX_JSON_DEPTH)).toBe(true);
  });

  it('agrees with the depth of any JSON value, however it is written (property)', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 8 }),
        fc.integer({ min: 0, max: 9 }),
        fc.boolean(),
        (value, max, indented) => {
          const text = indented ? JSON.stringify(value, null, 2) : JSON.stringify(value);
          expect(nestsDeeperThan(text, max)).toBe(depthOf(value) > max);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
