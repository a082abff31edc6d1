import { randomUUID } from 'node:crypto';
import { addUser, ApiClient, createService, issueToken, PASSWORD, signupTenant, type TestTenant } from '@custos/testing';
import type { Locator, Page } from 'playwright-core';
import { eventually, launchBrowser, logIn, logOut, screenshot, type Browser } from './support/browser';

const DAY = 86_400_000;
const isoIn = (days: number) => new Date(Date.now() + days * DAY).toISOString();

/** Whether two elements' boxes on screen overlap (a notice covering a button). */
async function overlap(a: Locator, b: Locator): Promise<boolean> {
  const [x, y] = [await a.boundingBox(), await b.boundingBox()];
  if (!x || !y) throw new Error('an element is not on screen');
  return x.x < y.x + y.width && y.x < x.x + x.width && x.y < y.y + y.height && y.y < x.y + x.height;
}

/**
 * The pages admins reach from others, in a real browser against the test run's api (which serves the
 * built dashboard): edit a token (a new name, a scope dropped; an operator's attempt to loosen its
 * allow-list refused next to the field), a service's page with its tokens counted and linked to the
 * filtered inventory, a token reached from the audit log, and a consent opened from its subject label.
 */
describe('pages in the browser', () => {
  let tenant: TestTenant;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  const suffix = randomUUID().slice(0, 6);
  const serviceName = `orders ${suffix}`;
  const tokenName = `e2e orders writer ${suffix}`;
  const renamed = `e2e orders reader ${suffix}`;
  const subjectRef = `cust_${suffix}`;
  let serviceId = '';
  let tokenId = '';
  let consentId = '';
  let operatorEmail = '';

  beforeAll(async () => {
    const api = ApiClient.fromEnv();
    baseUrl = api.baseUrl;
    tenant = await signupTenant(api, 'Pages E2E');
    const service = await createService(tenant.owner, {
      name: serviceName,
      description: 'Takes and fulfils orders',
      ownerContact: 'team-orders@acme.test',
      allowedScopes: ['orders:read', 'orders:write'],
    });
    serviceId = service.id;
    const edited = await issueToken(tenant.owner, {
      name: tokenName,
      ownerServiceId: serviceId,
      scopes: ['orders:read', 'orders:write'],
      allowedCidrs: ['10.1.0.0/16'],
    });
    tokenId = edited.token.id;
    await issueToken(tenant.owner, { ownerServiceId: serviceId });
    const revoked = await issueToken(tenant.owner, { ownerServiceId: serviceId });
    expect((await tenant.owner.post(`/v1/tokens/${revoked.token.id}/revoke`, { reason: 'e2e: retired' })).status).toBe(200);
    // Another service's and an unowned token, which the service's figures must leave out.
    const billing = await createService(tenant.owner, { name: `billing ${suffix}`, allowedScopes: ['orders:read'] });
    await issueToken(tenant.owner, { ownerServiceId: billing.id });
    await issueToken(tenant.owner);
    const consent = await tenant.owner.post<{ id: string }>('/v1/consents', {
      subjectRef,
      purpose: 'newsletter',
      dataCategories: ['email'],
      lawfulBasis: 'consent',
      jurisdiction: 'EU',
      validFrom: isoIn(-10),
      validUntil: isoIn(50),
    });
    expect(consent.status).toBe(201);
    consentId = consent.body.id;
    operatorEmail = (await addUser(tenant, 'operator')).email;

    browser = await launchBrowser();
    page = await browser.context.newPage();
    await logIn(page, baseUrl, tenant.email, PASSWORD);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("edits a token's name and drops a scope, and its page shows both", async () => {
    await page.goto(`${baseUrl}/tokens/${tokenId}`);
    await page.getByRole('heading', { name: tokenName, exact: true }).waitFor();
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.waitForURL(new RegExp(`/tokens/${tokenId}/edit$`));

    await page.getByText('Scopes can only be removed, never added').waitFor();
    const name = page.getByRole('textbox', { name: /^Name/ });
    await name.fill(renamed);
    await page.getByRole('checkbox', { name: 'orders:write' }).uncheck();
    await page.getByTestId('removed-scopes').getByText('Saving removes orders:write').waitFor();
    await screenshot(page, 'token-edit');
    await page.getByRole('button', { name: 'Save changes' }).click();

    await page.waitForURL(new RegExp(`/tokens/${tokenId}$`));
    await page.getByRole('heading', { name: renamed, exact: true }).waitFor();
    const scopes = page.locator('div').filter({ has: page.getByRole('heading', { name: 'Scopes', exact: true }) }).last();
    expect((await scopes.locator('code').allTextContents()).sort()).toEqual(['orders:read']);
    await eventually(page, page.locator('[data-audit-action="token.updated"]'));

    // The notice that confirms it sits where it covers neither Log out nor anything at the top.
    const notice = page.locator('.mantine-Notification-root').filter({ hasText: 'The token was updated.' });
    await notice.waitFor();
    expect(await overlap(notice, page.getByRole('button', { name: 'Log out' }))).toBe(false);
  });

  it("refuses an operator's loosening of the allow-list, next to the field", async () => {
    await logOut(page, baseUrl);
    await logIn(page, baseUrl, operatorEmail, PASSWORD);
    await page.goto(`${baseUrl}/tokens/${tokenId}/edit`);
    const ranges = page.getByRole('combobox', { name: 'Allowed IP ranges' });
    await ranges.click();
    await ranges.press('Backspace');
    await ranges.fill('10.0.0.0/8');
    await ranges.press('Enter');
    await page.getByRole('button', { name: 'Save changes' }).click();

    // The API's field error, announced as the field's own; the page stays on the form.
    await page.getByText('may only narrow the current allow-list').waitFor();
    const describedBy = (await ranges.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(/\s+/).find((id) => id.endsWith('-error'));
    expect(errorId).toBeDefined();
    expect(await page.locator(`[id="${errorId!}"]`).textContent()).toBe('may only narrow the current allow-list');
    expect(page.url()).toMatch(/\/edit$/);
    expect((await tenant.owner.get<{ allowedCidrs: string[] }>(`/v1/tokens/${tokenId}`)).body.allowedCidrs).toEqual(['10.1.0.0/16']);
    await logOut(page, baseUrl);
    await logIn(page, baseUrl, tenant.email, PASSWORD);
  });

  it("opens a service's page from the list, counts its tokens and links to the filtered inventory", async () => {
    await page.getByRole('link', { name: 'Services', exact: true }).click();
    await page.getByRole('link', { name: serviceName, exact: true }).click();
    await page.waitForURL(new RegExp(`/services/${serviceId}$`));
    await page.getByRole('heading', { name: serviceName, exact: true }).waitFor();
    await page.getByTestId('stat-active').getByText('2', { exact: true }).waitFor();
    expect(await page.getByTestId('stat-revoked').textContent()).toBe('1');
    expect(await page.getByTestId('stat-suspended').textContent()).toBe('0');
    await screenshot(page, 'service');

    await page.getByTestId('stat-active').getByRole('link').click();
    await page.waitForURL((url) => url.pathname === '/tokens' && url.searchParams.get('service') === serviceId && url.searchParams.get('status') === 'active');
    await page.getByText('2 matching').waitFor();
    const rows = page.locator('table[aria-label="Tokens"] tbody tr');
    expect(await rows.count()).toBe(2);
    await rows.getByRole('link', { name: renamed }).waitFor();
  });

  it('follows a token from the audit log to its page', async () => {
    await page.getByRole('link', { name: 'Audit log', exact: true }).click();
    const updated = page.locator('[data-audit-action="token.updated"]').first();
    await eventually(page, updated);
    await updated.getByRole('link', { name: tokenId }).click();
    await page.waitForURL(new RegExp(`/tokens/${tokenId}$`));
    await page.getByRole('heading', { name: renamed, exact: true }).waitFor();

    // And from an event's detail.
    await page.goBack();
    await page.locator('[data-audit-action="token.updated"]').first().getByRole('button', { name: /^Show event/ }).click();
    await page.getByRole('dialog').getByRole('link', { name: tokenId }).click();
    await page.waitForURL(new RegExp(`/tokens/${tokenId}$`));
    await page.getByRole('heading', { name: renamed, exact: true }).waitFor();
  });

  it("opens a consent from its subject label on the timeline, by click and from the keyboard", async () => {
    await page.goto(`${baseUrl}/consents`);
    const label = page.getByRole('button', { name: `${subjectRef}, newsletter`, exact: true });
    const detail = page.locator(`[data-consent-detail="${consentId}"]`);
    await label.click();
    await detail.waitFor();
    await page.waitForURL((url) => url.searchParams.get('consent') === consentId);
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'hidden' });

    await label.focus();
    await page.keyboard.press('Enter');
    await detail.waitFor();
  });
});
