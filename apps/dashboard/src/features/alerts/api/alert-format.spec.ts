import { describe, expect, it } from '@jest/globals';
import { ALERT_RULES } from '@custos/contracts';
import { detailRows, remediationShort, remediationText, ruleLabel, subjectOf } from './alert-format';

describe('ruleLabel', () => {
  it('names every rule, each differently', () => {
    const labels = ALERT_RULES.map(ruleLabel);
    expect(new Set(labels).size).toBe(ALERT_RULES.length);
    expect(ruleLabel('many_networks')).toBe('Many networks');
    expect(ruleLabel('leaked')).toBe('Leaked token');
  });
});

describe('subjectOf', () => {
  it('tells a token, a caller and a network apart, and keeps a subject of another shape whole', () => {
    expect(subjectOf('token:tok_1')).toEqual({ kind: 'token', id: 'tok_1' });
    expect(subjectOf('caller:tok_key')).toEqual({ kind: 'caller', id: 'tok_key' });
    expect(subjectOf('network:2001:db8::/48')).toEqual({ kind: 'network', id: '2001:db8::/48' });
    expect(subjectOf('tenant:ten_1')).toEqual({ kind: 'other', id: 'tenant:ten_1' });
  });
});

describe('detailRows', () => {
  const values = (details: Record<string, unknown>) => detailRows(details).map((r) => [r.label, r.value]);

  it('reads the figures of a counting rule: what passed, then its threshold and window', () => {
    expect(values({ windowSeconds: 3600, threshold: 10, networks: 12 })).toEqual([
      ['Distinct client addresses', '12'],
      ['Threshold', '10'],
      ['Window', '1 hour'],
    ]);
    expect(values({ uses: 1500, baseline: 12.5, factor: 10, windowSeconds: 300 })).toEqual([
      ['Uses in the window', '1,500'],
      ['Usual uses per window', '12.5'],
      ['Spike factor', 'more than 10 × the usual'],
      ['Window', '5 minutes'],
    ]);
  });

  it('names countries, the look-back and the residency region', () => {
    expect(values({ countries: ['BR', 'JP'], lookbackDays: 30 })).toEqual([
      ['Countries', 'Brazil (BR), Japan (JP)'],
      ['Look-back', '30 days'],
    ]);
    expect(values({ residencyRegion: null, countries: ['US'] })).toEqual([
      ['Residency region', 'none'],
      ['Countries', 'United States (US)'],
    ]);
  });

  it('says where a leak was reported, the URL as text', () => {
    // Local 09:00, as the page shows every moment.
    const reportedAt = new Date(2026, 11, 2, 9, 0).toISOString();
    expect(values({ via: 'github', url: 'https://github.com/acme/app/blob/main/.env', source: 'commit', reportedAt })).toEqual([
      ['Reported through', 'GitHub secret scanning'],
      ['Where it was found', 'https://github.com/acme/app/blob/main/.env'],
      ['Source', 'commit'],
      ['Reported at', 'Dec 2, 2026 09:00'],
    ]);
    expect(values({ via: 'public', url: null, source: null })).toEqual([
      ['Reported through', 'A public report (POST /v1/leaks)'],
      ['Where it was found', '—'],
      ['Source', '—'],
    ]);
  });

  it('shows any other key as it is, and a known key of an unexpected shape in its plain form', () => {
    expect(values({ status: 'revoked', newFigure: 3, flags: ['a', 'b'], nested: { x: 1 }, threshold: 'ten' })).toEqual([
      ['Token status when presented', 'revoked'],
      ['Threshold', 'ten'],
      ['newFigure', '3'],
      ['flags', 'a, b'],
      ['nested', '{"x":1}'],
    ]);
    expect(detailRows({})).toEqual([]);
  });
});

describe('remediation', () => {
  it('says what was done, or why the token was left alone', () => {
    expect(remediationText(null)).toBe('None: the rule only alerts');
    expect(remediationText({ action: 'suspend', at: '2026-12-02T09:00:00.000Z' })).toBe('Token suspended');
    expect(remediationText({ action: 'revoke' })).toBe('Token revoked');
    expect(remediationText({ action: 'none', skipped: 'owner_service_key' })).toBe('Left alone: this key administers the tenant');
    expect(remediationText({ action: 'none', skipped: 'token_status' })).toBe(
      'Left alone: the token was already past the change (rotating, suspended, revoked or expired)',
    );
    expect(remediationText({ action: 'none', skipped: 'something_new' })).toBe('Left alone: something_new');
    expect(remediationText({ action: 'none' })).toBe('None');
  });

  it('has a short form for the inbox', () => {
    const taken: Array<Parameters<typeof remediationShort>[0]> = [
      null,
      { action: 'suspend' },
      { action: 'revoke' },
      { action: 'none', skipped: 'owner_service_key' },
      { action: 'none', skipped: 'token_status' },
    ];
    expect(taken.map(remediationShort)).toEqual([
      '—',
      'suspended',
      'revoked',
      'skipped: admin key',
      'skipped: token status',
    ]);
  });
});
