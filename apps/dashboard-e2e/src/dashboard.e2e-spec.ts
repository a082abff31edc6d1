import { randomUUID } from 'node:crypto';
import { ApiClient, invitedUser, login, PASSWORD, startLauncher, uniqueEmail, type RunningLauncher } from '@custos/testing';
import type { Page } from 'playwright-core';
import { eventually, launchBrowser, screenshot, type Browser } from './support/browser';

/**
 * The dashboard in a real browser against Custos started the way the README starts it (`npm start`:
 * the launcher, embedded Postgres, generated secrets, api + worker + the built dashboard): an admin signs
 * up, issues a token and sees its secret once, finds it by lookup id, rotates it, revokes it with a
 * reason, follows both in the audit log and verifies the chain; an auditor sees all of it read-only.
 */
describe('dashboard in the browser', () => {
  let app: RunningLauncher;
  let baseUrl: string;
  const email = uniqueEmail('dash-owner');
  const tokenName = `e2e orders reader ${randomUUID().slice(0, 6)}`;
  let browser: Browser;
  let page: Page;
  let lookupId = '';

  beforeAll(async () => {
    app = await startLauncher();
    baseUrl = app.url;
    browser = await launchBrowser();
    page = await browser.context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  }, 60_000);

  it('sends a visitor to log in, and signs up a new organization', async () => {
    await page.goto(`${baseUrl}/tokens`);
    await page.waitForURL(/\/login\?next=%2Ftokens$/);
    await screenshot(page, 'login');
    await page.getByRole('link', { name: 'Create an organization' }).click();
    await page.getByLabel(/^Organization/).fill(`Dashboard E2E ${randomUUID().slice(0, 6)}`);
    await page.getByLabel(/^E-mail/).fill(email);
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.waitForURL(/\/overview$/);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
  });

  it('issues a token and shows its secret once', async () => {
    await page.getByRole('link', { name: 'Tokens', exact: true }).click();
    await page.getByRole('link', { name: 'Issue token' }).click();
    await page.getByLabel(/^Name/).fill(tokenName);
    const scopes = page.getByRole('combobox', { name: 'Scopes' });
    await scopes.fill('orders:read');
    await scopes.press('Enter');
    await scopes.fill('orders:write');
    await scopes.press('Enter');
    await page.getByRole('button', { name: 'Issue token' }).click();

    const secret = (await page.getByTestId('token-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^cus_live_[0-9A-Za-z]+$/);
    lookupId = secret.slice('cus_live_'.length, 'cus_live_'.length + 12);
    await page.getByText('you will not see it again').waitFor();
    await screenshot(page, 'issue-token-secret');

    // Once: the token's own page never shows it again.
    await page.getByRole('link', { name: 'Go to the token' }).click();
    await page.getByRole('heading', { name: tokenName, exact: true }).waitFor();
    expect(await page.content()).not.toContain(secret);
  });

  it('finds the token in the inventory by its lookup id', async () => {
    await page.goto(`${baseUrl}/tokens`);
    await page.getByLabel(/^Search/).fill(lookupId);
    await page.waitForURL(new RegExp(`q=${lookupId}`));
    const rows = page.locator('table[aria-label="Tokens"] tbody tr');
    await page.getByText('1 matching').waitFor();
    expect(await rows.count()).toBe(1);
    await rows.first().getByRole('link', { name: tokenName }).waitFor();
  });

  it('rotates the token, then revokes the old one with a reason', async () => {
    await page.goto(`${baseUrl}/tokens?q=${lookupId}`);
    await page.getByRole('link', { name: tokenName }).click();
    await page.getByRole('button', { name: 'Rotate' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate' }).click();
    const successor = (await page.getByTestId('token-secret').textContent())?.trim() ?? '';
    expect(successor).toMatch(/^cus_live_/);
    expect(successor.slice(9, 21)).not.toBe(lookupId);
    await page.getByText('you will not see it again').waitFor();
    await screenshot(page, 'rotate-secret');
    await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
    await page.getByText('rotating', { exact: true }).first().waitFor();

    await page.getByRole('button', { name: 'Revoke' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Reason/).fill('e2e: rotated and retired');
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('revoked', { exact: true }).first().waitFor();
    await eventually(page, page.locator('[data-audit-action="token.revoked"]'));
    // Who issued and who revoked it read as the owner's e-mail; the id is in the title.
    const createdBy = page.getByText('Created by', { exact: true }).locator('xpath=following-sibling::*[1]');
    expect(await createdBy.textContent()).toBe(`${email} via dashboard`);
    expect(await createdBy.locator('[data-actor-id]').getAttribute('title')).toMatch(/^user usr_/);
    await page.getByText(`by ${email} — “e2e: rotated and retired”`).waitFor();
    await screenshot(page, 'token-detail');
  });

  it('shows both changes in the audit log and verifies the chain', async () => {
    await page.getByRole('link', { name: 'Audit log', exact: true }).click();
    await eventually(page, page.locator('[data-audit-action="token.rotated"]'));
    await page.locator('[data-audit-action="token.revoked"]').first().waitFor();
    expect(await page.locator('[data-audit-action="token.revoked"]').first().locator('[data-actor-id]').textContent()).toBe(email);
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByText('The audit chain is intact').waitFor();
    await screenshot(page, 'audit-log');
  });

  it('shows the overview with the day’s activity', async () => {
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await page.getByText('Issued and revoked per day').waitFor();
    await page.getByTestId('stat-revoked').getByText('1').waitFor();
    await screenshot(page, 'overview');
  });

  it('lists the old and the new token, also on a phone-sized screen', async () => {
    await page.goto(`${baseUrl}/tokens`);
    await page.getByText('2 matching').waitFor();
    await screenshot(page, 'inventory');

    const phone = await browser.context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${baseUrl}/tokens`);
    await phone.getByText('2 matching').waitFor();
    // The navigation folds behind a labelled button; the table scrolls sideways inside its container.
    await phone.getByRole('button', { name: 'Toggle navigation' }).waitFor();
    await screenshot(phone, 'inventory-390px');
    await phone.close();
  });

  it('registers a service, and saves the tenant policy', async () => {
    await page.getByRole('link', { name: 'Services', exact: true }).click();
    await page.getByText('No services yet').waitFor();
    await page.getByRole('button', { name: 'New service' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Name/).fill('orders');
    const scopes = dialog.getByRole('combobox', { name: 'Allowed scopes' });
    await scopes.fill('orders:read');
    await scopes.press('Enter');
    await dialog.getByRole('button', { name: 'Create service' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('table[aria-label="Services"]').getByText('orders', { exact: true }).waitFor();
    await screenshot(page, 'services');

    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    const lifetime = page.getByLabel(/^Maximum token lifetime/);
    await lifetime.fill('60');
    const consentCategories = page.getByRole('combobox', { name: 'Data categories that need a consent' });
    await consentCategories.fill('payment_card');
    await consentCategories.press('Enter');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('Policy saved').waitFor();
    await page.reload();
    expect(await page.getByLabel(/^Maximum token lifetime/).inputValue()).toBe('60');
    // The default categories and the added one, as pills of the saved policy.
    for (const category of ['personal', 'health', 'payment_card']) await page.getByText(category, { exact: true }).waitFor();
    await screenshot(page, 'settings');
  });

  it('sends a user whose session ended to log in, and back to the page after', async () => {
    await page.goto(`${baseUrl}/overview`);
    // Every request of the page answered, so the next one is the first to find the session gone.
    await page.getByText('Issued and revoked per day').waitFor();
    await page.locator('table[aria-label="Audit events"]').waitFor();
    await page.waitForLoadState('networkidle');
    // As if the session expired or was ended elsewhere: the next request answers 401.
    await browser.context.clearCookies();
    await page.getByRole('link', { name: 'Audit log', exact: true }).click();
    await page.waitForURL(/\/login\?next=%2Faudit$/);
    await page.getByLabel(/^E-mail/).fill(email);
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/audit$/);
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  });

  it('lets an auditor see everything and change nothing', async () => {
    const owner = await login(new ApiClient(baseUrl), email, PASSWORD);
    const auditorEmail = uniqueEmail('dash-auditor');
    await invitedUser(owner, 'auditor', auditorEmail);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    await page.getByLabel(/^E-mail/).fill(auditorEmail);
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/overview$/);

    await page.goto(`${baseUrl}/tokens`);
    await page.locator('table[aria-label="Tokens"]').waitFor();
    expect(await page.getByRole('link', { name: 'Issue token' }).count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);

    // The successor is still active: an admin could rotate, suspend or revoke it; the auditor cannot.
    await page.getByRole('link', { name: tokenName }).first().click();
    await page.getByRole('heading', { name: tokenName, exact: true }).waitFor();
    await page.getByText('Lineage').waitFor();
    for (const action of ['Rotate', 'Suspend', 'Resume', 'Revoke']) {
      expect(await page.getByRole('button', { name: action }).count()).toBe(0);
    }
    await page.goto(`${baseUrl}/users`);
    await page.locator('table[aria-label="Users"]').waitFor();
    expect(await page.getByRole('button', { name: /Add user|Remove/ }).count()).toBe(0);
    await screenshot(page, 'auditor-token-detail');
  });
});
