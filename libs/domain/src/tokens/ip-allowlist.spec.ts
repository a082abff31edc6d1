import { IpAllowList, widenedCidrs } from './ip-allowlist';

describe('IpAllowList', () => {
  it('allows everything when empty and only listed networks otherwise', () => {
    expect(new IpAllowList([]).allows('203.0.113.9')).toBe(true);
    const list = new IpAllowList(['10.0.0.0/8', '2001:db8::/32']);
    expect(list.allows('10.1.2.3')).toBe(true);
    expect(list.allows('11.0.0.1')).toBe(false);
    expect(list.allows('2001:db8::1')).toBe(true);
    expect(list.allows(undefined)).toBe(false);
  });
});

describe('widenedCidrs', () => {
  it('finds nothing widened when a list narrows or stays the same', () => {
    expect(widenedCidrs(['10.0.0.0/8'], ['10.0.0.0/8'])).toEqual([]);
    expect(widenedCidrs(['10.0.0.0/8'], ['10.1.0.0/16', '10.2.3.4'])).toEqual([]);
    expect(widenedCidrs(['10.0.0.0/8', '2001:db8::/32'], ['2001:db8:1::/48'])).toEqual([]);
    expect(widenedCidrs([], ['192.0.2.0/24'])).toEqual([]);
    expect(widenedCidrs([], [])).toEqual([]);
  });

  it('reports lifting the restriction, a wider block, another network and another family', () => {
    expect(widenedCidrs(['10.0.0.0/8'], [])).toEqual(['(no restriction)']);
    expect(widenedCidrs(['10.1.0.0/16'], ['10.0.0.0/8'])).toEqual(['10.0.0.0/8']);
    expect(widenedCidrs(['10.0.0.0/8'], ['10.0.0.0/8', '192.168.0.0/16'])).toEqual(['192.168.0.0/16']);
    expect(widenedCidrs(['10.0.0.0/8'], ['::ffff:10.0.0.1'])).toEqual(['::ffff:10.0.0.1']);
    expect(widenedCidrs(['10.0.0.1'], ['10.0.0.0/31'])).toEqual(['10.0.0.0/31']);
  });

  it('errs on the safe side for a block covered only by two halves', () => {
    expect(widenedCidrs(['10.0.0.0/9', '10.128.0.0/9'], ['10.0.0.0/8'])).toEqual(['10.0.0.0/8']);
  });
});
