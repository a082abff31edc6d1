/** @jest-environment jsdom */
import { afterEach, describe, expect, it } from '@jest/globals';
import { screen } from '@testing-library/react';
import { setupUser } from '../../../test/user';
import { renderWithApp, sessionWith } from '../../../test/render';
import type { Role, Session } from '../../session/api/session.queries';
import { MfaNudge } from './MfaNudge';

const withMfa = (role: Role, mfaEnabled: boolean): Session => {
  const session = sessionWith(role, []);
  return { ...session, user: { ...session.user, mfaEnabled } };
};
const without = (role: Role): Session => withMfa(role, false);

const TITLE = 'Protect your account with two-step verification';

afterEach(() => window.localStorage.clear());

describe('MfaNudge', () => {
  it('urges an owner or admin without MFA to enrol, with a link to the Security page', () => {
    renderWithApp(<MfaNudge session={without('admin')} />);
    const banner = screen.getByRole('alert', { name: TITLE });
    expect(banner.textContent).toContain('As an admin, you can issue tokens');
    expect(screen.getByRole('link', { name: 'set up an authenticator app' }).getAttribute('href')).toBe('/security');
  });

  it('says nothing to people with MFA, nor to other roles', () => {
    renderWithApp(
      <>
        <MfaNudge session={withMfa('owner', true)} />
        <MfaNudge session={without('operator')} />
      </>,
    );
    expect(screen.queryByRole('alert', { name: TITLE })).toBeNull();
  });

  it('stays dismissed in this browser', async () => {
    const user = setupUser();
    const first = renderWithApp(<MfaNudge session={without('owner')} />);
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert', { name: TITLE })).toBeNull();
    first.unmount();
    renderWithApp(<MfaNudge session={without('owner')} />);
    expect(screen.queryByRole('alert', { name: TITLE })).toBeNull();
  });
});
