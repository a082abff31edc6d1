/** @jest-environment jsdom */
import { afterEach, describe, expect, it } from '@jest/globals';
import { screen, waitFor, within } from '@testing-library/react';
import { setupUser } from '../test/user';
import { Route, Routes } from 'react-router';
import { MfaEnrolmentPage } from '../features/security/routes/MfaEnrolmentPage';
import { sessionKeys } from '../features/session/api/session.queries';
import { renderWithApp, sessionWith } from '../test/render';
import { fakeApi, RECOVERY_CODES, restrictedSession, TOTP_SECRET } from '../test/security-fixtures';
import { RequireSession } from './RequireSession';
import { restrictedPathOf } from './restriction';

let restore = () => undefined as void;
afterEach(() => restore());

function renderAt(path: string, session = restrictedSession()) {
  return renderWithApp(
    <Routes>
      <Route element={<RequireSession />}>
        <Route path="/setup/mfa" element={<MfaEnrolmentPage />} />
        <Route path="/tokens" element={<p>The tokens page</p>} />
        <Route path="/overview" element={<p>The overview</p>} />
      </Route>
    </Routes>,
    [[sessionKeys.me(), session]],
    path,
  );
}

describe('a session restricted to MFA enrolment', () => {
  it('reaches only the enrolment screen, which says why', () => {
    renderAt('/tokens');
    expect(screen.queryByText('The tokens page')).toBeNull();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Set up two-step verification');
    expect(screen.getByText(/requires people with the owner role/).textContent).toContain('Acme requires people with the owner role to use a second factor');
    expect(within(screen.getByRole('region', { name: 'Authenticator app' })).getByRole('button', { name: 'Set up authenticator app' }).tagName).toBe('BUTTON');
  });

  it('goes on to the app once enrolled and the recovery codes are saved', async () => {
    const user = setupUser();
    let enrolled = false;
    const api = fakeApi(({ method, path }) => {
      if (path === '/v1/me/mfa/totp') return { status: 201, body: { secret: TOTP_SECRET, otpauthUri: `otpauth://totp/x?secret=${TOTP_SECRET}` } };
      if (path === '/v1/me/mfa/totp/confirm') {
        enrolled = true;
        return { status: 200, body: { recoveryCodes: RECOVERY_CODES } };
      }
      if (method === 'GET' && path === '/v1/auth/session') {
        const session = restrictedSession();
        return { status: 200, body: { authenticated: true, session: enrolled ? { ...session, user: { ...session.user, mfaEnabled: true }, restriction: null } : session } };
      }
      return undefined;
    });
    restore = api.restore;
    renderAt('/setup/mfa');
    await user.click(screen.getByRole('button', { name: 'Set up authenticator app' }));
    await user.type(await screen.findByRole('textbox', { name: /^Six-digit code/ }), '123456');
    await user.click(screen.getByRole('button', { name: 'Turn on' }));
    await user.click(await screen.findByRole('checkbox', { name: 'I saved my recovery codes' }));
    // Still restricted until the codes are put away: the screen stays.
    expect(screen.queryByText('The overview')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.getByText('The overview').tagName).toBe('P'));
  });
});

describe('a session without restriction', () => {
  it('sees its pages, and is sent on from the enrolment screen', () => {
    const view = renderAt('/tokens', sessionWith('owner', ['custos:tokens:read']));
    expect(screen.getByText('The tokens page').tagName).toBe('P');
    view.unmount();
    renderAt('/setup/mfa', sessionWith('owner', ['custos:tokens:read']));
    expect(screen.getByText('The overview').tagName).toBe('P');
  });
});

describe('restrictedPathOf', () => {
  it('names the screen of each restriction', () => {
    expect(restrictedPathOf('mfa_enrolment')).toBe('/setup/mfa');
    expect(restrictedPathOf('password_change')).toBe('/setup/password');
    expect(restrictedPathOf(null)).toBeNull();
  });
});
