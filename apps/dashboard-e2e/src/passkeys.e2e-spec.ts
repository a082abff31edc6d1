import { ApiClient, PASSWORD, signupTenant, type PasskeyBody, type TestTenant } from '@custos/testing';
import type { CDPSession, Page } from 'playwright-core';
import { launchBrowser, logIn, logOut, screenshot, type Browser } from './support/browser';

/**
 * A passkey in a real browser, with Chromium's virtual authenticator (DevTools protocol WebAuthn):
 * registered on the Security page, then used as the second factor of a log-in. The dashboard is opened
 * at http://localhost:<port>: the test api's relying party (CUSTOS_WEBAUTHN_ORIGIN unset), and a secure
 * context for WebAuthn without TLS.
 */
describe('passkeys in the browser', () => {
  let tenant: TestTenant;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId: string;

  beforeAll(async () => {
    const api = ApiClient.fromEnv();
    const url = new URL(api.baseUrl);
    baseUrl = `http://localhost:${url.port}`;
    tenant = await signupTenant(api, 'Passkeys E2E');
    browser = await launchBrowser();
    page = await browser.context.newPage();
    cdp = await browser.context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    }));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('registers a passkey on the Security page, and a later log-in completes with it', async () => {
    await logIn(page, baseUrl, tenant.email, PASSWORD);
    await page.goto(`${baseUrl}/security`);
    const card = page.getByRole('region', { name: 'Passkeys' });
    await card.getByText('No passkeys yet').waitFor();
    await card.getByLabel('Passkey name').fill('Virtual key');
    await card.getByRole('button', { name: 'Add a passkey' }).click();
    const table = card.getByRole('table', { name: 'Passkeys' });
    await table.getByText('Virtual key').waitFor();
    expect(await card.getByText('1 registered').isVisible()).toBe(true);
    const [registered] = (await tenant.owner.get<{ items: PasskeyBody[] }>('/v1/me/passkeys')).body.items;
    expect(registered).toMatchObject({ name: 'Virtual key', lastUsedAt: null });
    await screenshot(page, 'passkeys', card);

    await logOut(page, baseUrl);
    await page.getByLabel(/^E-mail/).fill(tenant.email);
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('Two-step verification').first().waitFor();
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.waitForURL(/\/overview$/);

    const [used] = (await tenant.owner.get<{ items: PasskeyBody[] }>('/v1/me/passkeys')).body.items;
    expect(used?.lastUsedAt).toEqual(expect.any(String));
    // The one credential is the virtual authenticator's, which signed twice: at registration and at log-in.
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials.map((c) => [c.rpId, c.signCount])).toEqual([['localhost', expect.any(Number)]]);
  });
});
