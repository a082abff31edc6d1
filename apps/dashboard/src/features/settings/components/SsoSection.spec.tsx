/** @jest-environment jsdom */
import { describe, expect, it, jest } from '@jest/globals';
import { screen, within } from '@testing-library/react';
import { setupUser } from '../../../test/user';
import { ApiError } from '../../../shared/api/http';
import { renderWithApp } from '../../../test/render';
import { pickOption } from '../../../test/select';
import type { SsoOverview, SsoRequest } from '../api/sso.queries';
import { SsoForm } from './SsoSection';

const NONE: SsoOverview = { config: null, tenantSlug: 'acme-corp', redirectUri: 'https://custos.example.com/v1/auth/sso/callback', startUrl: 'https://custos.example.com/v1/auth/sso/acme-corp/start' };
const SAVED: SsoOverview = {
  ...NONE,
  config: {
    issuer: 'https://login.example.com',
    clientId: 'custos',
    clientSecretSet: true,
    roleClaim: 'groups',
    roleMapping: { 'custos-admins': 'admin' },
    defaultRole: 'viewer',
    enforce: true,
    breakGlassUserId: 'usr_owner',
    updatedAt: '2026-12-01T10:00:00.000Z',
    updatedBy: 'usr_owner',
    lastTest: {
      at: '2026-12-01T10:05:00.000Z',
      by: 'usr_owner',
      ok: true,
      claims: { sub: 'sub-1', email: 'ada@acme.test', emailVerified: true, name: 'Ada', roleClaim: ['custos-admins'] },
      mappedRole: 'admin',
      existingUser: false,
    },
  },
};

function renderForm(overview: SsoOverview, { error = null, writable = true, at = '/settings' }: { error?: unknown; writable?: boolean; at?: string } = {}) {
  const onSubmit = jest.fn<(body: SsoRequest) => void>();
  renderWithApp(<SsoForm overview={overview} writable={writable} pending={false} error={error} onSubmit={onSubmit} onRemove={() => undefined} />, [], at);
  return onSubmit;
}

describe('SsoForm', () => {
  it('shows the redirect URI to register and the slug people sign in with, before anything is saved', () => {
    renderForm(NONE);
    expect(screen.getByLabelText('Redirect URI').textContent).toBe('https://custos.example.com/v1/auth/sso/callback');
    expect(screen.getByRole('button', { name: 'Copy' })).toBeTruthy();
    expect(screen.getByText('acme-corp').tagName).toBe('CODE');
    expect(screen.queryByRole('link', { name: 'Test sign-in' })).toBeNull();
  });

  it('asks for the issuer, client and secret, then sends the mapping rows as one object', async () => {
    const user = setupUser();
    const onSubmit = renderForm(NONE);
    await user.click(screen.getByRole('button', { name: 'Save single sign-on' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText('Enter the client secret')).toBeTruthy();

    await user.type(screen.getByRole('textbox', { name: /^Issuer/ }), 'https://login.example.com');
    await user.type(screen.getByRole('textbox', { name: /^Client id/ }), 'custos');
    await user.type(screen.getByLabelText(/^Client secret/), 's3cret');
    await user.click(screen.getByRole('button', { name: 'Add mapping' }));
    const row = within(screen.getByRole('group', { name: 'Mapping 1' }));
    await user.type(row.getByRole('textbox', { name: 'Claim value' }), 'custos-ops');
    await pickOption(user, row.getByRole('combobox', { name: 'Role' }), 'Operator');
    await user.click(screen.getByRole('switch', { name: /Enforce single sign-on/ }));
    await user.click(screen.getByRole('button', { name: 'Save single sign-on' }));
    expect(onSubmit).toHaveBeenCalledWith({
      issuer: 'https://login.example.com',
      clientId: 'custos',
      clientSecret: 's3cret',
      roleClaim: 'groups',
      roleMapping: { 'custos-ops': 'operator' },
      defaultRole: 'viewer',
      enforce: true,
    });
  });

  it('keeps the saved secret unless a new one is typed, and offers a test sign-in', async () => {
    const user = setupUser();
    const onSubmit = renderForm(SAVED);
    expect(screen.getByRole('link', { name: 'Test sign-in' }).getAttribute('href')).toBe('/v1/auth/sso/acme-corp/start?test=true');
    expect(screen.getByText('usr_owner').tagName).toBe('CODE');
    await user.click(screen.getByRole('button', { name: 'Save single sign-on' }));
    expect(onSubmit.mock.calls[0]![0]).not.toHaveProperty('clientSecret');
  });

  it('shows what the last test sign-in received and the role it maps to, after coming back from the IdP', () => {
    renderForm(SAVED, { at: '/settings?sso_test=ok' });
    expect(screen.getByText('Test sign-in finished')).toBeTruthy();
    const last = within(screen.getByRole('region', { name: 'Last test sign-in' }));
    expect(last.getByText('worked')).toBeTruthy();
    expect(last.getByText('ada@acme.test').tagName).toBe('CODE');
    expect(last.getByText('admin').tagName).toBe('CODE');
  });

  it("places the API's field errors on their fields (a failed discovery on the issuer)", () => {
    const error = new ApiError({ type: 'x', title: 'Invalid', status: 400, detail: 'The request is not valid.', code: 'VALIDATION_FAILED', requestId: 'r', errors: [{ field: 'issuer', message: 'OIDC discovery failed: 404' }] });
    renderForm(SAVED, { error });
    expect(screen.getByText('OIDC discovery failed: 404')).toBeTruthy();
  });

  it('is read-only without custos:policy:write', () => {
    renderForm(SAVED, { writable: false });
    expect(screen.queryByRole('button', { name: 'Save single sign-on' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Test sign-in' })).toBeNull();
  });
});
