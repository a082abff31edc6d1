import { canonicalize } from 'json-canonicalize';
import { createHash } from 'node:crypto';
import { ChainVerifier, GENESIS_HASH, canonicalBody, canonicalJson, chainHash, chainedBody, type ChainedEventBody } from './audit-chain';

function chain(n: number) {
  let prev = GENESIS_HASH;
  return Array.from({ length: n }, (_, i) => {
    const body: ChainedEventBody = {
      tenantId: 'ten_x', seq: i + 1, occurredAt: new Date(0).toISOString(), action: 'token.issued',
      actorType: 'user', actorId: 'usr_1', targetType: 'token', targetId: `tok_${i}`, requestId: null, data: { n: i },
    };
    const hash = chainHash(prev, body);
    const event = { ...body, prevHash: prev, hash };
    prev = hash;
    return event;
  });
}

describe('audit chain', () => {
  it('verifies an intact chain and reports its head', () => {
    const events = chain(5);
    const verifier = new ChainVerifier();
    events.forEach((e) => verifier.add(e));
    expect(verifier.verdict()).toEqual({ valid: true, checkedEvents: 5, headSeq: 5, headHash: events[4]!.hash });
  });

  it.each<[string, Partial<ChainedEventBody>]>([
    ['plain values', {}],
    ['nulls', { actorId: null, targetType: null, targetId: null, requestId: null }],
    ['characters JSON must escape', { action: 'a"b\\c\n\u0001', actorId: 'é ☃ 𝄞', targetId: '\u2028\u2029</script>' }],
    ['nested data with numbers and arrays', { data: { z: [3, 1.5, -0, 1e21, 1e-7], a: { y: 'x', b: null, c: true }, '€': 1, é: 2 } }],
    ['a large sequence number', { seq: 2 ** 40 }],
  ])('writes the same canonical JSON as the general RFC 8785 canonicaliser: %s', (_name, overrides) => {
    const body: ChainedEventBody = {
      tenantId: 'ten_x', seq: 7, occurredAt: new Date(0).toISOString(), action: 'token.issued', actorType: 'user',
      actorId: 'usr_1', targetType: 'token', targetId: 'tok_1', requestId: 'req_1', data: { n: 1 }, ...overrides,
    };
    expect(canonicalBody(body)).toBe(canonicalize(chainedBody(body)));
  });

  it.each<[string, unknown]>([
    ['flat data', { reason: 'bench', from: 'active' }],
    ['keys sorted by UTF-16 code units', { b: 1, B: 2, é: 3, '𝄞': 4, '\uffff': 5, '': 6, '10': 7, '9': 8 }],
    ['numbers as ECMAScript writes them', { n: [0, -0, 1.5, 1e21, 1e-7, 123456789012345680000, -1e-300, 2 ** 53] }],
    ['undefined members dropped, undefined elements null', { a: undefined, b: [undefined, 1], c: { d: undefined } }],
    ['dates and other objects with toJSON', { at: new Date(0), nested: [{ toJSON: () => 'x' }] }],
    ['a sparse array', { holes: [1, , 3] }], // eslint-disable-line no-sparse-arrays -- the hole is what this case tests
    ['deep nesting', JSON.parse(`${'{"a":['.repeat(40)}1${']}'.repeat(40)}`) as unknown],
    ['strings JSON must escape', { s: 'a"b\\c\n\u0001\u2028 ☃ 𝄞 \ud800' }],
    ['an object without a prototype', Object.assign(Object.create(null) as object, { z: 1, a: 2 })],
  ])('writes event data exactly as the general canonicaliser does: %s', (_name, data) => {
    expect(canonicalJson(data)).toBe(canonicalize(data));
  });

  it('hashes the previous hash bytes followed by the canonical body, as docs/audit-chain.md says', () => {
    const body = { ...chain(1)[0]!, data: { long: 'x'.repeat(40_000), emoji: '𝄞'.repeat(10_000) } };
    const prev = 'ab'.repeat(32);
    const expected = createHash('sha256').update(Buffer.from(prev, 'hex')).update(canonicalize(chainedBody(body)), 'utf8').digest('hex');
    expect(chainHash(prev, body)).toBe(expected);
    expect(chainHash(prev, { ...body, data: { n: 1 } })).toBe(
      createHash('sha256').update(Buffer.from(prev, 'hex')).update(canonicalize(chainedBody({ ...body, data: { n: 1 } })), 'utf8').digest('hex'),
    );
  });

  it('does not depend on key order in the event data (canonical JSON)', () => {
    const body = chain(1)[0]!;
    const reordered = { ...body, data: { b: 2, a: 1 } };
    expect(chainHash(GENESIS_HASH, reordered)).toBe(chainHash(GENESIS_HASH, { ...body, data: { a: 1, b: 2 } }));
  });

  it.each([
    ['an altered event', (e: ReturnType<typeof chain>) => { e[2] = { ...e[2]!, data: { n: 99 } }; }, 3, 'seq 3: hash does not match its content'],
    ['a removed event', (e: ReturnType<typeof chain>) => { e.splice(2, 1); }, 3, 'seq 3: missing (expected 3, found 4)'],
    ['swapped events', (e: ReturnType<typeof chain>) => { [e[1], e[2]] = [e[2]!, e[1]!]; }, 2, 'seq 2: missing (expected 2, found 3)'],
  ])('names the first broken seq for %s, and says why', (_name, tamper, seq, reason) => {
    const events = chain(5);
    tamper(events);
    const verifier = new ChainVerifier();
    events.forEach((e) => verifier.add(e));
    expect(verifier.verdict()).toMatchObject({ valid: false, firstInvalidSeq: seq, reason });
  });

  it('says when an event does not link to the one before', () => {
    const events = chain(3);
    events[1] = { ...events[1]!, prevHash: GENESIS_HASH };
    const verifier = new ChainVerifier();
    events.forEach((e) => verifier.add(e));
    expect(verifier.verdict()).toMatchObject({ firstInvalidSeq: 2, reason: 'seq 2: prevHash does not link to seq 1' });
  });
});
