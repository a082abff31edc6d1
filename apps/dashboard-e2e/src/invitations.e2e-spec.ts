import { ApiClient, PASSWORD, signupTenant, uniqueEmail, type TestTenant } from '@custos/testing';
import type { Page } from 'playwright-core';
import { bodyRows, launchBrowser, logIn, screenshot, type Browser } from './support/browser';

interface SessionProbe {
  authenticated: boolean;
  session: { user: { email: string; role: string }; restriction: string | null } | null;
}

/**
 * Invitations in a real browser, against the test run's api (which serves the built dashboard): the owner
 * invites a person from the Users page and gets the link once; in another browser (no shared cookies) the
 * person opens it, chooses a password and lands in the dashboard signed in with the invited role.
 */
describe('invitations in the browser', () => {
  let tenant: TestTenant;
  let baseUrl: string;
  let owner: Browser;
  let invited: Browser;
  let ownerPage: Page;
  const email = uniqueEmail('browser-invited');

  beforeAll(async () => {
    const api = ApiClient.fromEnv();
    baseUrl = api.baseUrl;
    tenant = await signupTenant(api, 'Invitations E2E');
    [owner, invited] = await Promise.all([launchBrowser(), launchBrowser()]);
    ownerPage = await owner.context.newPage();
    await logIn(ownerPage, baseUrl, tenant.email, PASSWORD);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([owner?.close(), invited?.close()]);
  });

  it('the owner invites, the person accepts in another browser and is signed in with the invited role', async () => {
    await ownerPage.goto(`${baseUrl}/users`);
    await ownerPage.getByRole('heading', { name: 'Users and roles' }).waitFor();
    await ownerPage.getByRole('button', { name: 'Invite', exact: true }).click();
    const dialog = ownerPage.getByRole('dialog');
    await dialog.getByLabel(/^E-mail/).fill(email);
    await dialog.getByRole('combobox', { name: 'Role' }).click();
    await ownerPage.getByRole('option', { name: 'Operator' }).click();
    await dialog.getByRole('button', { name: 'Invite', exact: true }).click();
    const link = await dialog.getByRole('textbox', { name: 'Invitation link' }).inputValue();
    expect(link).toMatch(new RegExp(`^${baseUrl}/invitations/accept#token=cinv_[A-Za-z0-9_-]+$`));
    expect(await dialog.getByRole('button', { name: 'Copy the link' }).count()).toBe(1);
    await dialog.getByRole('button', { name: 'Done' }).click();

    const pending = ownerPage.getByRole('table', { name: 'Pending invitations' });
    await pending.waitFor();
    expect((await bodyRows(pending)).map((cells) => cells.slice(0, 3))).toEqual([[email, 'operator', tenant.email]]);
    await screenshot(ownerPage, 'users-invitations');

    const page = await invited.context.newPage();
    await page.goto(link);
    await page.getByText(/You are invited to Invitations E2E/).waitFor();
    expect(await page.getByText(/You are invited to/).textContent()).toContain(`as operator, with the e-mail ${email}`);
    await page.getByLabel(/^Password/).fill('my own long passphrase');
    await page.getByLabel(/^Repeat the password/).fill('my own long passphrase');
    await page.getByRole('button', { name: /^Join Invitations E2E/ }).click();
    await page.waitForURL(/\/overview$/);
    const probe = (await page.evaluate(() => fetch('/v1/auth/session').then((r) => r.json()))) as SessionProbe;
    expect(probe).toMatchObject({ authenticated: true, session: { user: { email, role: 'operator' }, restriction: null } });

    // The link worked once: opening it again says so.
    await page.goto(link);
    await page.getByText('This invitation link does not work').waitFor();

    // The owner sees the person among the users, and the invitation no longer pending.
    await ownerPage.reload();
    await ownerPage.getByRole('table', { name: 'Users' }).getByText(email).waitFor();
    expect(await ownerPage.getByRole('table', { name: 'Pending invitations' }).count()).toBe(0);
  });

  it('an account made by API must change its password first, then has the dashboard', async () => {
    const madeEmail = uniqueEmail('browser-made');
    expect((await tenant.owner.post('/v1/users', { email: madeEmail, password: PASSWORD, role: 'viewer' })).status).toBe(201);
    const page = await invited.context.newPage();
    await invited.context.clearCookies();
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel(/^E-mail/).fill(madeEmail);
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/setup\/password$/);
    await page.getByRole('heading', { name: 'Choose your own password' }).waitFor();
    await page.getByLabel(/^Current password/).fill(PASSWORD);
    await page.getByLabel(/^New password/).fill('my own long passphrase');
    await page.getByLabel(/^Repeat the new password/).fill('my own long passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.waitForURL(/\/overview$/);
    const probe = (await page.evaluate(() => fetch('/v1/auth/session').then((r) => r.json()))) as SessionProbe;
    expect(probe.session).toMatchObject({ user: { email: madeEmail }, restriction: null });
  });
});
