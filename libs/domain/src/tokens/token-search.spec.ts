import { generateToken } from './token-format';
import { describeTokenSearch, parseTokenSearch } from './token-search';

describe('parseTokenSearch', () => {
  it('reduces a full token to its environment and lookup id, keeping nothing of its secret', () => {
    const { raw, lookupId } = generateToken('live');
    const search = parseTokenSearch(`  ${raw}\n`);
    expect(search).toEqual({ by: 'lookupId', environment: 'live', lookupIdPrefix: lookupId });
    expect(JSON.stringify(search)).not.toContain(raw.slice(9 + 12));
    expect(describeTokenSearch(search)).toBe(`cus_live_${lookupId}…`);
  });

  it('reads the prefix the Token column shows, with or without its ellipsis', () => {
    expect(parseTokenSearch('cus_live_6Ady8…')).toEqual({ by: 'lookupId', environment: 'live', lookupIdPrefix: '6Ady8' });
    expect(parseTokenSearch('cus_test_6Ady8...')).toEqual({ by: 'lookupId', environment: 'test', lookupIdPrefix: '6Ady8' });
    expect(parseTokenSearch('cus_live_6Ady8')).toEqual({ by: 'lookupId', environment: 'live', lookupIdPrefix: '6Ady8' });
    expect(parseTokenSearch('cus_live_')).toEqual({ by: 'lookupId', environment: 'live', lookupIdPrefix: '' });
  });

  it('reads a whole hint (lookup id, ellipsis, last four) as its lookup id', () => {
    expect(parseTokenSearch('cus_live_AbC123dEf456…x9Zq')).toEqual({ by: 'lookupId', environment: 'live', lookupIdPrefix: 'AbC123dEf456' });
  });

  it('takes the lookup id of a token-shaped string that does not verify (a typo in the secret)', () => {
    const { raw, lookupId } = generateToken('test');
    const typo = raw.slice(0, -1) + (raw.endsWith('a') ? 'b' : 'a');
    const search = parseTokenSearch(typo);
    expect(search).toEqual({ by: 'lookupId', environment: 'test', lookupIdPrefix: lookupId });
    expect(describeTokenSearch(search)).toBe(`cus_test_${lookupId}…`);
  });

  it('leaves anything else as text: a name or a bare lookup id', () => {
    expect(parseTokenSearch(' Orders ')).toEqual({ by: 'text', text: 'Orders' });
    expect(parseTokenSearch('6Ady8')).toEqual({ by: 'text', text: '6Ady8' });
    expect(parseTokenSearch('cus_prod_abc')).toEqual({ by: 'text', text: 'cus_prod_abc' });
    expect(parseTokenSearch('cus_live_ab-c')).toEqual({ by: 'text', text: 'cus_live_ab-c' });
  });

  it('describes text with any token inside it replaced', () => {
    const { raw } = generateToken('live');
    expect(describeTokenSearch(parseTokenSearch(`leaked ${raw}`))).toBe('leaked [REDACTED]');
  });
});
