import fc from 'fast-check';
import { canonicalize } from 'json-canonicalize';
import { canonicalBody, canonicalJson, chainedBody, type ChainedEventBody } from './audit-chain';

/**
 * The lean RFC 8785 writer of the audit chain (canonicalJson, canonicalBody: what the sealer hashes
 * and the CLI recomputes) against the general canonicaliser, json-canonicalize, on generated values:
 * byte for byte the same text, or the same refusal. A failure prints its seed; CUSTOS_FC_SEED=<seed>
 * replays it (libs/testing/src/fast-check-setup.ts).
 */

type Outcome = { text: string } | { threw: true };

function outcomeOf(write: () => string): Outcome {
  try {
    return { text: write() };
  } catch {
    return { threw: true };
  }
}

const anyString = fc.string({ unit: 'binary', maxLength: 20 });

/** Beyond plain JSON: undefined, -0, non-finite numbers, dates, holes, prototype-less objects. */
const looseScalar = fc.oneof(
  anyString,
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, 1e21, 1e-7, 2 ** 53, Number.MAX_VALUE, Number.MIN_VALUE),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.date(),
);

const { loose } = fc.letrec((tie) => ({
  loose: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    looseScalar,
    fc.array(tie('loose'), { maxLength: 5 }),
    fc.sparseArray(tie('loose'), { maxLength: 5 }),
    fc.dictionary(anyString, tie('loose'), { maxKeys: 5 }),
    fc.dictionary(anyString, tie('loose'), { maxKeys: 5, noNullPrototype: false }),
  ),
}));

/** A value wrapped 20 to 40 levels deep, across the depth at which the lean writer hands over. */
const deep = fc
  .tuple(fc.jsonValue({ maxDepth: 2 }), fc.array(fc.boolean(), { minLength: 20, maxLength: 40 }))
  .map(([inner, wrappers]) => wrappers.reduce<unknown>((value, inArray) => (inArray ? [value] : { k: value }), inner));

const eventBody: fc.Arbitrary<ChainedEventBody> = fc.record({
  tenantId: anyString,
  // Mostly sequence numbers; sometimes numbers the fast path leaves to the general writer.
  seq: fc.oneof({ weight: 4, arbitrary: fc.nat() }, { weight: 1, arbitrary: fc.double() }),
  occurredAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  action: anyString,
  actorType: anyString,
  actorId: fc.option(anyString),
  targetType: fc.option(anyString),
  targetId: fc.option(anyString),
  requestId: fc.option(anyString),
  data: fc.dictionary(anyString, loose, { maxKeys: 6 }),
});

describe('canonical JSON (properties)', () => {
  it('writes any JSON value exactly as json-canonicalize does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 1000 },
    );
  });

  it('writes, or refuses, looser values and deep nesting exactly as json-canonicalize does', () => {
    fc.assert(
      fc.property(fc.oneof(loose, deep), (value) => {
        expect(outcomeOf(() => canonicalJson(value))).toEqual(outcomeOf(() => canonicalize(value)));
      }),
      { numRuns: 1000 },
    );
  });

  it("writes an event's hashed body exactly as json-canonicalize writes chainedBody(event)", () => {
    fc.assert(
      fc.property(eventBody, (event) => {
        expect(outcomeOf(() => canonicalBody(event))).toEqual(outcomeOf(() => canonicalize(chainedBody(event))));
      }),
      { numRuns: 1000 },
    );
  });
});
