import { ApiClient, signupTenant, startTestIdp, uniqueEmail, type TestIdp, type TestTenant } from '@custos/testing';
import type { Page } from 'playwright-core';
import { launchBrowser, logIn, logOut, screenshot, type Browser } from './support/browser';

interface SessionProbe {
  authenticated: boolean;
  session: { user: { email: string; role: string }; tenant: { id: string } } | null;
}

/** Who the browser is signed in as, asked the way the dashboard asks. */
const sessionOf = (page: Page): Promise<SessionProbe> =>
  page.evaluate(async () => (await fetch('/v1/auth/session')).json() as Promise<SessionProbe>);

/** The test IdP's log-in form (oidc-provider's development interactions): any password signs in the login typed. */
async function signInAtIdp(page: Page, idp: TestIdp, email: string): Promise<void> {
  await page.waitForURL((url) => url.href.startsWith(idp.issuer));
  await page.locator('input[name="login"]').fill(email);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
}

/**
 * Single sign-on in Chromium with a real OpenID Provider (oidc-provider, a process of its own): an
 * owner configures it in Settings and runs a test sign-in; then someone new chooses "Sign in with SSO"
 * on the log-in page, types the organization, signs in at the IdP and lands in the dashboard, created
 * with the role their groups map to.
 */
describe('single sign-on in the browser', () => {
  let idp: TestIdp;
  let tenant: TestTenant;
  let baseUrl: string;
  let slug: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const api = ApiClient.fromEnv();
    baseUrl = api.baseUrl;
    idp = await startTestIdp([`${baseUrl}/v1/auth/sso/callback`]);
    tenant = await signupTenant(api, 'SSO Browser');
    slug = (await tenant.owner.get<{ tenantSlug: string }>('/v1/sso')).body.tenantSlug;
    browser = await launchBrowser();
    page = await browser.context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await idp?.stop();
  });

  it('is configured in Settings, and a test sign-in reports the role the claims map to', async () => {
    await logIn(page, baseUrl, tenant.email, tenant.password);
    await page.goto(`${baseUrl}/settings`);
    const section = page.getByRole('region', { name: 'Single sign-on' });
    await section.getByLabel('Redirect URI').waitFor();
    expect(await section.getByLabel('Redirect URI').textContent()).toBe(`${baseUrl}/v1/auth/sso/callback`);
    await section.getByRole('textbox', { name: /^Issuer/ }).fill(idp.issuer);
    await section.getByRole('textbox', { name: /^Client id/ }).fill(idp.clientId);
    await section.getByLabel(/^Client secret/).fill(idp.clientSecret);
    await section.getByRole('button', { name: 'Add mapping' }).click();
    const row = section.getByRole('group', { name: 'Mapping 1' });
    await row.getByRole('textbox', { name: 'Claim value' }).fill('custos-admins');
    await row.getByRole('combobox', { name: 'Role' }).click();
    await page.getByRole('option', { name: 'Admin' }).click();
    await section.getByRole('button', { name: 'Save single sign-on' }).click();
    await section.getByRole('link', { name: 'Test sign-in' }).waitFor();
    const saved = await tenant.owner.get<{ config: { roleMapping: Record<string, string> } | null; tenantSlug: string }>('/v1/sso');
    expect(saved.body).toMatchObject({ config: { roleMapping: { 'custos-admins': 'admin' } }, tenantSlug: slug });

    await section.getByRole('link', { name: 'Test sign-in' }).click();
    await signInAtIdp(page, idp, 'admin-tested@example.test');
    await page.waitForURL(/\/settings\?sso_test=ok$/);
    const last = page.getByRole('region', { name: 'Last test sign-in' });
    await last.getByText('worked').waitFor();
    expect(await last.textContent()).toContain('admin-tested@example.test');
    expect(await last.textContent()).toContain('→ role admin');
    await screenshot(page, 'settings-sso', page.getByRole('region', { name: 'Single sign-on' }));
    // The test created no one.
    const users = await tenant.owner.get<{ items: Array<{ email: string }> }>('/v1/users');
    expect(users.body.items.map((u) => u.email)).not.toContain('admin-tested@example.test');
  });

  it('signs someone new in from the log-in page, created with the mapped role', async () => {
    await logOut(page, baseUrl);
    // Someone else at this browser: the IdP's own session (from the test sign-in) goes too. Its cookies
    // are the loopback's, like Custos's: cookies do not tell ports apart.
    await browser.context.clearCookies();
    await page.goto(`${baseUrl}/login`);
    const email = uniqueEmail('admin-browser');
    await page.getByRole('button', { name: 'Sign in with SSO' }).click();
    await page.getByRole('textbox', { name: /^Organization/ }).fill(slug);
    await screenshot(page, 'login-sso');
    await page.getByRole('button', { name: 'Continue with SSO' }).click();
    await signInAtIdp(page, idp, email);
    await page.waitForURL((url) => url.origin === baseUrl && !url.pathname.startsWith('/login') && !url.pathname.startsWith('/v1/'));
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    const probe = await sessionOf(page);
    expect(probe).toMatchObject({ authenticated: true, session: { user: { email, role: 'admin' }, tenant: { id: tenant.tenantId } } });
    // The organization is remembered for the next time.
    expect(await page.evaluate(() => (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem('custos.sso.organization'))).toBe(slug);
  });

  it('sends a failed sign-in back to the log-in page with the reason in words', async () => {
    await browser.context.clearCookies();
    await page.goto(`${baseUrl}/v1/auth/sso/no-such-organization/start`);
    await page.waitForURL(/\/login\?sso_error=not_configured$/);
    await page.getByText('This organization does not sign in with SSO', { exact: false }).waitFor();
  });
});
