/** @jest-environment jsdom */
import { describe, expect, it } from '@jest/globals';
import { ROLE_SCOPES, type Role } from '@custos/contracts';
import { screen } from '@testing-library/react';
import { renderWithApp, sessionWith } from '../../../test/render';
import { auditKeys } from '../../audit/api/audit.queries';
import { sessionKeys } from '../../session/api/session.queries';
import { tokenKeys } from '../../tokens/api/tokens.queries';
import type { TokenOverview } from '../api/overview.queries';
import { OverviewPage } from './OverviewPage';

function overviewWith(active: number): TokenOverview {
  return {
    byStatus: { active, rotating: 0, suspended: 0, revoked: 0, expired: 0 },
    daily: [{ day: '2026-12-01', issued: 0, revoked: 0 }],
    expiringSoon: 0,
    rotationOverdue: 0,
    unused: 0,
    generatedAt: '2026-12-02T00:00:00.000Z',
  };
}

function renderAs(role: Role, overview: TokenOverview) {
  return renderWithApp(<OverviewPage />, [
    [sessionKeys.me(), sessionWith(role, [...ROLE_SCOPES[role]])],
    [tokenKeys.overview(), overview],
    [auditKeys.recent(8), []],
  ]);
}

describe('OverviewPage on a first visit', () => {
  it('offers whoever may issue their first token, linking to the issue page', () => {
    renderAs('owner', overviewWith(0));
    const start = screen.getByRole('link', { name: 'Issue your first token' });
    expect(start.getAttribute('href')).toBe('/tokens/new');
    expect(screen.getByRole('heading', { name: 'No tokens yet' }).tagName).toBe('H2');
  });

  it('tells a viewer who may issue instead of offering a button it cannot use', () => {
    renderAs('viewer', overviewWith(0));
    expect(screen.getByRole('heading', { name: 'No tokens yet' }).tagName).toBe('H2');
    expect(screen.queryByRole('link', { name: 'Issue your first token' })).toBeNull();
    expect(document.body.textContent).toContain('an owner, admin or operator can');
  });

  it('says nothing of it once the organization has a token', () => {
    renderAs('owner', overviewWith(1));
    expect(screen.queryByRole('heading', { name: 'No tokens yet' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Issue your first token' })).toBeNull();
  });
});
