/** @jest-environment jsdom */
import { describe, expect, it } from '@jest/globals';
import { ROLE_SCOPES, type Role } from '@custos/contracts';
import { screen, within } from '@testing-library/react';
import { renderWithApp, sessionWith } from '../../../test/render';
import { alertKeys, type OpenAlertCount } from '../../alerts/api/alerts.queries';
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

const NO_OPEN_ALERTS: OpenAlertCount[] = (['low', 'medium', 'high', 'critical'] as const).map((severity) => ({ severity, count: 0, capped: false }));

function renderAs(role: Role, overview: TokenOverview, openAlerts: OpenAlertCount[] = NO_OPEN_ALERTS) {
  return renderWithApp(<OverviewPage />, [
    [sessionKeys.me(), sessionWith(role, [...ROLE_SCOPES[role]])],
    [tokenKeys.overview(), overview],
    [auditKeys.recent(8), []],
    ...openAlerts.map((c): [readonly unknown[], unknown] => [alertKeys.openCount(c.severity), c]),
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

describe('OverviewPage open alerts', () => {
  const counts: OpenAlertCount[] = [
    { severity: 'critical', count: 2, capped: false },
    { severity: 'high', count: 200, capped: true },
    { severity: 'medium', count: 0, capped: false },
    { severity: 'low', count: 1, capped: false },
  ];

  it('counts open alerts by severity, most severe first, each linking to the inbox filtered to it', () => {
    renderAs('operator', overviewWith(1), counts);
    const card = within(screen.getByRole('region', { name: 'Open alerts' }));
    const figures = ['critical', 'high', 'medium', 'low'].map((s) => screen.getByTestId(`open-alerts-${s}`));
    expect(figures.map((f) => [f.textContent, f.getAttribute('href')])).toEqual([
      ['2', '/alerts?severity=critical'],
      // One page of 200 per severity: beyond it the figure says so rather than being wrong.
      ['200+', '/alerts?severity=high'],
      ['0', '/alerts?severity=medium'],
      ['1', '/alerts?severity=low'],
    ]);
    expect(card.getByRole('link', { name: 'Open the inbox' }).getAttribute('href')).toBe('/alerts');
    expect(card.getByText(/open in all/).textContent).toBe('More than 203 open in all; acknowledged ones are not counted.');
  });

  it('says when nothing is open', () => {
    renderAs('auditor', overviewWith(1));
    expect(within(screen.getByRole('region', { name: 'Open alerts' })).getByText(/^Nothing open/).tagName).toBe('P');
  });

  it('is not shown to a role that cannot read alerts', () => {
    renderAs('viewer', overviewWith(1));
    expect(screen.queryByRole('region', { name: 'Open alerts' })).toBeNull();
  });
});
