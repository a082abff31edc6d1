/** @jest-environment jsdom */
import { describe, expect, it } from '@jest/globals';
import { ROLE_SCOPES, type Role } from '@custos/contracts';
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { factOf } from '../../../test/dom';
import { renderWithApp, sessionWith } from '../../../test/render';
import { usersSeed } from '../../../test/user-fixtures';
import type { TokenOverview } from '../../overview/api/overview.queries';
import { sessionKeys } from '../../session/api/session.queries';
import { tokenKeys } from '../../tokens/api/tokens.queries';
import { serviceKeys, type Service } from '../api/services.queries';
import { ServicePage } from './ServicePage';

const SERVICE: Service = {
  id: 'svc_orders',
  name: 'orders',
  description: 'Order intake',
  ownerContact: 'team-orders@acme.test',
  allowedScopes: ['orders:read', 'orders:write'],
  publicJwk: null,
  stewardUserId: 'usr_ana',
  createdAt: '2026-11-01T09:00:00.000Z',
  updatedAt: '2026-11-02T09:00:00.000Z',
};

const COUNTS: TokenOverview = {
  generatedAt: '2026-12-02T00:00:00.000Z',
  byStatus: { active: 4, rotating: 1, suspended: 0, revoked: 2, expired: 0 },
  expiringSoon: 1,
  rotationOverdue: 0,
  unused: 3,
  daily: [],
};

function renderAs(role: Role) {
  return renderWithApp(
    <Routes>
      <Route path="/services/:serviceId" element={<ServicePage />} />
    </Routes>,
    [
      [sessionKeys.me(), sessionWith(role, [...ROLE_SCOPES[role]])],
      [serviceKeys.detail('svc_orders'), SERVICE],
      [tokenKeys.overview('svc_orders'), COUNTS],
      // As the API answers: the users list only for a role with custos:users:read.
      ...(ROLE_SCOPES[role].includes('custos:users:read') ? [usersSeed()] : []),
    ],
    '/services/svc_orders',
  );
}

describe('ServicePage', () => {
  it("counts the service's tokens by status, each linking to the inventory filtered to the service and status", () => {
    renderAs('viewer');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('orders');
    const active = screen.getByTestId('stat-active');
    expect(active.textContent).toBe('4');
    expect(active.querySelector('a')?.getAttribute('href')).toBe('/tokens?status=active&service=svc_orders');
    expect(screen.getByTestId('stat-revoked').querySelector('a')?.getAttribute('href')).toBe('/tokens?status=revoked&service=svc_orders');
    expect(screen.getByTestId('stat-unused-30-days').querySelector('a')?.getAttribute('href')).toBe(
      '/tokens?status=active&sort=lastUsedAt&order=asc&service=svc_orders',
    );
    expect(screen.getByRole('link', { name: 'All its tokens in the inventory' }).getAttribute('href')).toBe('/tokens?service=svc_orders');
  });

  it('shows its settings, with Edit only for whoever may change services', () => {
    const { container } = renderAs('viewer');
    expect(factOf(container, 'Allowed scopes')).toBe('orders:readorders:write');
    expect(factOf(container, 'Contact')).toBe('team-orders@acme.test');
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
    document.body.innerHTML = '';
    renderAs('admin');
    expect(screen.getByRole('button', { name: 'Edit' })).toBeTruthy();
  });

  it('names its steward, by e-mail for a role that may list users, and offers to hand it over only to an owner or admin', () => {
    let { container } = renderAs('viewer');
    expect(factOf(container, 'Steward')).toBe('usr_ana');
    document.body.innerHTML = '';
    ({ container } = renderAs('auditor'));
    expect(factOf(container, 'Steward')).toBe('ana@acme.test');
    expect(screen.getByText('ana@acme.test').getAttribute('title')).toBe('user usr_ana');
    expect(screen.queryByRole('combobox', { name: 'Steward' })).toBeNull();
    document.body.innerHTML = '';
    renderAs('admin');
    expect((screen.getByRole('combobox', { name: 'Steward' }) as HTMLInputElement).value).toBe('ana@acme.test');
  });
});
