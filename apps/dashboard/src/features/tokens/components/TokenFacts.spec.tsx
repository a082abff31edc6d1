/** @jest-environment jsdom */
import { describe, expect, it } from '@jest/globals';
import { screen } from '@testing-library/react';
import { formatDateTime } from '../../../shared/format/format';
import { factOf } from '../../../test/dom';
import { renderWithApp } from '../../../test/render';
import { tokenFixture } from '../../../test/token-fixtures';
import type { Token } from '../api/tokens.queries';
import { TokenFacts } from './TokenFacts';

const section = (title: string) => screen.getByRole('heading', { name: title }).parentElement!;

function renderFacts(token: Token) {
  renderWithApp(<TokenFacts token={token} serviceName={undefined} />);
}

describe('TokenFacts', () => {
  it('shows the rate limit among the restrictions, and where the token was used from beside its geofence', () => {
    renderFacts(
      tokenFixture('tok_1', {
        rateLimit: { limit: 100, windowSeconds: 60 },
        residencyRegion: 'EU',
        lastUsedAt: '2026-11-23T10:00:00.000Z',
        lastUsedCountry: 'US',
        regionsSeen: ['EU', 'EEA', 'US'],
        lastCrossBorderAt: '2026-11-22T08:00:00.000Z',
      }),
    );
    expect(factOf(section('Restrictions'), 'Rate limit')).toBe('100 uses per minute');
    const geography = section('Residency and geofence');
    expect(factOf(geography, 'Last used from')).toBe('United States (US)');
    expect(factOf(geography, 'Regions seen')).toBe('EU, EEA, US');
    expect(factOf(geography, 'Last cross-border use')).toMatch(new RegExp(`^${formatDateTime('2026-11-22T08:00:00.000Z')} \\(`));
  });

  it('says so when there is no limit and no use yet, and a limit over an unusual window in its own words', () => {
    renderFacts(tokenFixture('tok_2'));
    expect(factOf(section('Restrictions'), 'Rate limit')).toBe('no limit');
    const geography = section('Residency and geofence');
    expect(factOf(geography, 'Last used from')).toBe('not used yet');
    expect(factOf(geography, 'Regions seen')).toBe('none yet');
    // Without a residency region nothing can cross its border.
    expect(factOf(geography, 'Last cross-border use')).toBe('none: no residency region');
    document.body.innerHTML = '';
    renderFacts(tokenFixture('tok_3', { rateLimit: { limit: 1, windowSeconds: 120 }, residencyRegion: 'EU', lastUsedAt: '2026-11-23T10:00:00.000Z' }));
    expect(factOf(section('Restrictions'), 'Rate limit')).toBe('1 use per 2 minutes');
    expect(factOf(section('Residency and geofence'), 'Last used from')).toBe('an unknown country');
    expect(factOf(section('Residency and geofence'), 'Last cross-border use')).toBe('never');
  });
});
