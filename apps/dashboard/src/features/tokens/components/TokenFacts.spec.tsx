/** @jest-environment jsdom */
import { describe, expect, it } from '@jest/globals';
import { ROLE_SCOPES, type Role } from '@custos/contracts';
import { screen } from '@testing-library/react';
import { formatDateTime } from '../../../shared/format/format';
import { factOf } from '../../../test/dom';
import { renderWithApp, sessionWith } from '../../../test/render';
import { tokenFixture } from '../../../test/token-fixtures';
import { usersSeed } from '../../../test/user-fixtures';
import { sessionKeys } from '../../session/api/session.queries';
import type { Token } from '../api/tokens.queries';
import { TokenFacts } from './TokenFacts';

const section = (title: string) => screen.getByRole('heading', { name: title }).parentElement!;

function renderFacts(token: Token, role: Role = 'owner') {
  const scopes = [...ROLE_SCOPES[role]];
  // As the API answers: the users list only for a role with custos:users:read.
  renderWithApp(<TokenFacts token={token} serviceName={undefined} />, [
    [sessionKeys.me(), sessionWith(role, scopes)],
    ...(scopes.includes('custos:users:read') ? [usersSeed()] : []),
  ]);
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

describe('TokenFacts: the steward', () => {
  const steward = () => screen.queryByRole('combobox', { name: 'Steward' }) as HTMLInputElement | null;

  it('names the steward by e-mail among the details, read-only for an operator and an auditor', () => {
    for (const role of ['operator', 'auditor'] as const) {
      renderFacts(tokenFixture('tok_1', { stewardUserId: 'usr_ana' }), role);
      expect(factOf(section('Details'), 'Steward')).toBe('ana@acme.test');
      expect(steward()).toBeNull();
      document.body.innerHTML = '';
    }
  });

  it('shows a viewer the id, who cannot list users', () => {
    renderFacts(tokenFixture('tok_1', { stewardUserId: 'usr_ana' }), 'viewer');
    expect(factOf(section('Details'), 'Steward')).toBe('usr_ana');
  });

  it('offers an owner or admin the users to hand it to, while the token may change', () => {
    for (const role of ['owner', 'admin'] as const) {
      renderFacts(tokenFixture('tok_1', { stewardUserId: 'usr_ana', status: 'suspended' }), role);
      expect(steward()?.value).toBe('ana@acme.test');
      document.body.innerHTML = '';
    }
    // A revoked token is final: the API refuses any change to it.
    renderFacts(tokenFixture('tok_2', { stewardUserId: 'usr_ana', status: 'revoked', revokedAt: '2026-11-01T00:00:00.000Z' }), 'owner');
    expect(steward()).toBeNull();
    expect(factOf(section('Details'), 'Steward')).toBe('ana@acme.test');
  });
});
