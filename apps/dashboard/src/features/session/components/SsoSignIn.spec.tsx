/** @jest-environment jsdom */
import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { screen } from '@testing-library/react';
import { setupUser } from '../../../test/user';
import { renderWithApp } from '../../../test/render';
import { SSO_SLUG_STORAGE_KEY } from '../api/sso-sign-in';
import { SsoSignIn } from './SsoSignIn';

describe('SsoSignIn', () => {
  beforeEach(() => window.localStorage.clear());

  it('asks for the organization, remembers it and leaves for its IdP', async () => {
    const user = setupUser();
    const navigate = jest.fn<(url: string) => void>();
    renderWithApp(<SsoSignIn error={null} navigate={navigate} />);
    await user.click(screen.getByRole('button', { name: 'Sign in with SSO' }));
    await user.click(screen.getByRole('button', { name: 'Continue with SSO' }));
    expect(screen.getByText('Enter your organization')).toBeTruthy();
    expect(navigate).not.toHaveBeenCalled();
    await user.type(screen.getByRole('textbox', { name: /^Organization/ }), ' Acme-Corp ');
    await user.click(screen.getByRole('button', { name: 'Continue with SSO' }));
    expect(navigate).toHaveBeenCalledWith('/v1/auth/sso/acme-corp/start');
    expect(window.localStorage.getItem(SSO_SLUG_STORAGE_KEY)).toBe('acme-corp');
  });

  it('opens with the organization remembered from last time', () => {
    window.localStorage.setItem(SSO_SLUG_STORAGE_KEY, 'acme-corp');
    renderWithApp(<SsoSignIn error={null} navigate={() => undefined} />);
    expect((screen.getByRole('textbox', { name: /^Organization/ }) as HTMLInputElement).value).toBe('acme-corp');
  });

  it('says in words why the last SSO sign-in failed', () => {
    renderWithApp(<SsoSignIn error="email_taken" navigate={() => undefined} />);
    expect(screen.getByText(/belongs to an account of another organization/)).toBeTruthy();
  });
});
