/** @jest-environment jsdom */
import { afterEach, describe, expect, it } from '@jest/globals';
import { screen, waitFor, within } from '@testing-library/react';
import { setupUser } from '../../../test/user';
import { cellsOf, fieldErrorOf, isEnabled } from '../../../test/dom';
import { renderWithApp } from '../../../test/render';
import { fakeApi, mfaStatusFixture, problem, RECOVERY_CODES, sessionItemFixture, TOTP_SECRET, type Answer, type ApiCall } from '../../../test/security-fixtures';
import { countryLabel, deviceName, flagOf } from '../api/session-format';
import { securityKeys, type MfaStatus, type SignedInSession } from '../api/security.queries';
import { SecurityPage } from './SecurityPage';

const SESSIONS: SignedInSession[] = [
  sessionItemFixture('ses_other', { device: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', country: 'FR', ipPrefix: '198.51.100.0/24' }),
  sessionItemFixture('ses_here', { current: true }),
];

let restore = () => undefined as void;
afterEach(() => restore());

function renderSecurity(status: MfaStatus, answer: (call: ApiCall) => Answer | undefined = () => undefined, sessions = SESSIONS) {
  const api = fakeApi(answer);
  restore = api.restore;
  const view = renderWithApp(<SecurityPage />, [
    [securityKeys.mfa(), status],
    [securityKeys.sessions(), sessions],
  ]);
  return { calls: api.calls, ...view };
}

const region = (name: string) => screen.getByRole('region', { name });

describe('SecurityPage: authenticator app', () => {
  it('enrols: a QR code and the key to type, a first code, then the ten recovery codes once', async () => {
    const user = setupUser();
    let confirmed = false;
    const { calls, client } = renderSecurity(mfaStatusFixture({ enabled: false }), ({ method, path }) => {
      if (method === 'POST' && path === '/v1/me/mfa/totp') return { status: 201, body: { secret: TOTP_SECRET, otpauthUri: `otpauth://totp/Custos:me%40acme.test?secret=${TOTP_SECRET}&issuer=Custos` } };
      if (method === 'POST' && path === '/v1/me/mfa/totp/confirm') {
        confirmed = true;
        return { status: 200, body: { recoveryCodes: RECOVERY_CODES } };
      }
      if (method === 'GET' && path === '/v1/me/mfa') return { status: 200, body: confirmed ? mfaStatusFixture() : { ...mfaStatusFixture({ enabled: false }), totp: { enabled: false, enabledAt: null, pending: true } } };
      return undefined;
    });
    const card = within(region('Authenticator app'));
    expect(card.getByText('Off').tagName).toBe('SPAN');
    await user.click(card.getByRole('button', { name: 'Set up authenticator app' }));

    const qr = (await card.findByRole('img', { name: 'QR code for your authenticator app' })) as HTMLImageElement;
    expect(qr.src).toMatch(/^data:image\/svg\+xml/);
    expect(card.getByLabelText('Secret key').textContent).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');

    await user.type(card.getByRole('textbox', { name: /^Six-digit code/ }), '12345');
    await user.click(card.getByRole('button', { name: 'Turn on' }));
    expect(fieldErrorOf(card.getByRole('textbox', { name: /^Six-digit code/ }))).toBe('Enter the six digits your app shows');
    await user.type(card.getByRole('textbox', { name: /^Six-digit code/ }), '6');
    await user.click(card.getByRole('button', { name: 'Turn on' }));

    const codes = await screen.findByRole('region', { name: 'Recovery codes' });
    expect(within(codes).getAllByTestId('recovery-code').map((c) => c.textContent)).toEqual(RECOVERY_CODES);
    const done = within(codes).getByRole('button', { name: 'Done' });
    expect(isEnabled(done)).toBe(false);
    await user.click(within(codes).getByRole('checkbox', { name: 'I saved my recovery codes' }));
    await user.click(done);
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Recovery codes' })).toBeNull());
    expect(calls.filter((c) => c.method === 'POST').map((c) => [c.path, c.body])).toEqual([
      ['/v1/me/mfa/totp', {}],
      ['/v1/me/mfa/totp/confirm', { code: '123456' }],
    ]);
    // Saved: the session (mfaEnabled, a lifted restriction) is read again.
    expect(client.getQueryState(['session', 'me'])?.isInvalidated).toBe(true);
  });

  it('says when the first code is wrong', async () => {
    const user = setupUser();
    renderSecurity(mfaStatusFixture({ enabled: false }), ({ path }) => {
      if (path === '/v1/me/mfa/totp') return { status: 201, body: { secret: TOTP_SECRET, otpauthUri: `otpauth://totp/x?secret=${TOTP_SECRET}` } };
      if (path === '/v1/me/mfa/totp/confirm') return problem(401, 'INVALID_MFA', 'The code is wrong or was used already.');
      return { status: 200, body: { ...mfaStatusFixture({ enabled: false }), totp: { enabled: false, enabledAt: null, pending: true } } };
    });
    await user.click(screen.getByRole('button', { name: 'Set up authenticator app' }));
    await user.type(await screen.findByRole('textbox', { name: /^Six-digit code/ }), '000000');
    await user.click(screen.getByRole('button', { name: 'Turn on' }));
    await waitFor(() => expect(fieldErrorOf(screen.getByRole('textbox', { name: /^Six-digit code/ }))).toBe('That code is not right. Check the time on your phone and try the current code.'));
  });

  it('shows how many recovery codes are left, warns when few, and makes new ones with a code', async () => {
    const user = setupUser();
    const { calls } = renderSecurity(mfaStatusFixture({ left: 2 }), ({ path }) =>
      path === '/v1/me/mfa/recovery-codes' ? { status: 200, body: { recoveryCodes: RECOVERY_CODES } } : { status: 200, body: mfaStatusFixture() },
    );
    const card = within(region('Authenticator app'));
    expect(card.getByText('On').tagName).toBe('SPAN');
    expect(card.getByTestId('recovery-codes-left').textContent).toBe('2 of 10 recovery codes left.');
    expect(card.getByText('Few recovery codes left').textContent).toBe('Few recovery codes left');
    await user.click(card.getByRole('button', { name: 'New recovery codes' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByRole('textbox', { name: /^Code/ }), '654321');
    await user.click(within(dialog).getByRole('button', { name: 'Make new codes' }));
    const codes = await screen.findByRole('region', { name: 'Recovery codes' });
    expect(within(codes).getAllByTestId('recovery-code')).toHaveLength(10);
    expect(calls.find((c) => c.method === 'POST')).toEqual({ method: 'POST', path: '/v1/me/mfa/recovery-codes', body: { code: '654321' } });
  });

  it('turns the app off with a current code', async () => {
    const user = setupUser();
    const { calls } = renderSecurity(mfaStatusFixture(), ({ method }) => (method === 'POST' ? { status: 204 } : { status: 200, body: mfaStatusFixture({ enabled: false }) }));
    await user.click(screen.getByRole('button', { name: 'Turn off' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByRole('textbox', { name: /^Code/ }), '111222');
    await user.click(within(dialog).getByRole('button', { name: 'Turn off' }));
    await waitFor(() => expect(calls.find((c) => c.method === 'POST')).toEqual({ method: 'POST', path: '/v1/me/mfa/totp/remove', body: { code: '111222' } }));
  });
});

describe('SecurityPage: sessions', () => {
  it('lists where the person is signed in, this device first', () => {
    renderSecurity(mfaStatusFixture());
    const rows = within(screen.getByRole('table', { name: 'Sessions' })).getAllByRole('row').slice(1);
    expect(cellsOf(rows[0]!).slice(0, 5)).toEqual([
      'Chrome on LinuxThis devicePassword',
      '203.0.113.0/24',
      `${flagOf('DE')} Germany`,
      expect.stringMatching(/2026/),
      'Now',
    ]);
    expect(cellsOf(rows[1]!).slice(0, 3)).toEqual(['Firefox on WindowsPassword', '198.51.100.0/24', `${flagOf('FR')} France`]);
    expect(within(rows[0]!).queryByRole('button', { name: /^End/ })).toBeNull();
  });

  it('ends another session, and all of them but this one', async () => {
    const user = setupUser();
    const { calls } = renderSecurity(mfaStatusFixture(), ({ method }) => (method === 'DELETE' ? { status: 204 } : { status: 200, body: { items: SESSIONS } }));
    await user.click(screen.getByRole('button', { name: /^End the session on Firefox on Windows/ }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'End session' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'DELETE').map((c) => [c.path, c.pathParams])).toEqual([['/v1/me/sessions/{id}', { id: 'ses_other' }]]));

    await user.click(screen.getByRole('button', { name: 'Sign out everywhere else' }));
    const dialog = await screen.findByRole('dialog', { name: 'Sign out everywhere else?' });
    expect(within(dialog).getByText(/other session ends/).textContent).toBe('The other session ends at once; this one stays.');
    await user.click(within(dialog).getByRole('button', { name: 'Sign out everywhere else' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual(['/v1/me/sessions/{id}', '/v1/me/sessions']));
  });

  it('offers no "sign out everywhere else" when this is the only session', () => {
    renderSecurity(mfaStatusFixture(), undefined, [sessionItemFixture('ses_here', { current: true })]);
    expect(isEnabled(screen.getByRole('button', { name: 'Sign out everywhere else' }))).toBe(false);
  });
});

describe('session formats', () => {
  it('names devices and countries as people say them', () => {
    expect(deviceName('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15')).toBe('Safari on macOS');
    expect(deviceName('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0')).toBe('Edge on Windows');
    expect(deviceName(null)).toBe('Unknown device');
    expect(countryLabel('CH')).toBe('🇨🇭 Switzerland');
    expect(countryLabel(null)).toBe('Unknown');
  });
});
