import { canonicalize } from 'json-canonicalize';
import { ChainVerifier, GENESIS_HASH, canonicalBody, chainHash, chainedBody, type ChainedEventBody } from './audit-chain';

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

  it('does not depend on key order in the event data (canonical JSON)', () => {
    const body = chain(1)[0]!;
    const reordered = { ...body, data: { b: 2, a: 1 } };
    expect(chainHash(GENESIS_HASH, reordered)).toBe(chainHash(GENESIS_HASH, { ...body, data: { a: 1, b: 2 } }));
  });

  it.each([
    ['an altered event', (e: ReturnType<typeof chain>) => { e[2] = { ...e[2]!, data: { n: 99 } }; }, 3],
    ['a removed event', (e: ReturnType<typeof chain>) => { e.splice(2, 1); }, 3],
    ['swapped events', (e: ReturnType<typeof chain>) => { [e[1], e[2]] = [e[2]!, e[1]!]; }, 2],
  ])('names the first broken seq for %s', (_name, tamper, seq) => {
    const events = chain(5);
    tamper(events);
    const verifier = new ChainVerifier();
    events.forEach((e) => verifier.add(e));
    expect(verifier.verdict()).toMatchObject({ valid: false, firstInvalidSeq: seq });
  });
});
