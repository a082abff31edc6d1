import { randomUUID } from 'node:crypto';
import { addUser, ApiClient, createService, issueToken, PASSWORD, pollUntil, signupTenant, type TestTenant, type TestUser } from '@custos/testing';
import type { Page } from 'playwright-core';
import { factIn, launchBrowser, logIn, logOut, type Browser } from './support/browser';

interface StewardedBody {
  stewardUserId: string | null;
}

/**
 * Stewards in a real browser, against the test run's api (which serves the built dashboard): the owner
 * hands a token to an admin from its page (saved: a reload and the API show it), issues a token naming
 * the admin as its steward, and reads and hands over a service's steward from its page; an operator sees
 * both stewards by e-mail with nothing to change.
 */
describe('stewards in the browser', () => {
  const suffix = randomUUID().slice(0, 6);
  const tokenName = `e2e stewarded ${suffix}`;
  const issuedName = `e2e issued for ana ${suffix}`;
  const serviceName = `payments ${suffix}`;
  let tenant: TestTenant;
  let admin: TestUser;
  let operator: TestUser;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  let tokenId = '';
  let serviceId = '';

  const steward = () => page.getByRole('combobox', { name: 'Steward' });
  const pickSteward = async (email: string) => {
    await steward().click();
    await page.getByRole('option', { name: email, exact: true }).click();
  };
  /** Waits until the picker reads `email` (right after a load it may show the id until the users list arrives). */
  const stewardShows = async (email: string) => {
    await steward().waitFor();
    expect(await pollUntil(() => steward().inputValue(), (value) => value === email, { timeoutMs: 10_000 })).toBe(email);
  };
  const stewardOf = async (path: string) => (await tenant.owner.get<StewardedBody>(path)).body.stewardUserId;

  beforeAll(async () => {
    const api = ApiClient.fromEnv();
    baseUrl = api.baseUrl;
    tenant = await signupTenant(api, 'Stewards E2E');
    [admin, operator] = await Promise.all([addUser(tenant, 'admin'), addUser(tenant, 'operator')]);
    tokenId = (await issueToken(tenant.owner, { name: tokenName })).token.id;
    serviceId = (await createService(tenant.owner, { name: serviceName, stewardUserId: admin.id })).id;

    browser = await launchBrowser();
    page = await browser.context.newPage();
    await logIn(page, baseUrl, tenant.email, PASSWORD);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("hands a token to another user from its page, and the change is kept", async () => {
    await page.goto(`${baseUrl}/tokens/${tokenId}`);
    await page.getByRole('heading', { name: tokenName, exact: true }).waitFor();
    // Whoever issued it is accountable until someone else is named.
    await stewardShows(tenant.email);

    await pickSteward(admin.email);
    await page.getByText(`${admin.email} is now accountable for "${tokenName}".`).waitFor();
    expect(await stewardOf(`/v1/tokens/${tokenId}`)).toBe(admin.id);

    await page.reload();
    await page.getByRole('heading', { name: tokenName, exact: true }).waitFor();
    await stewardShows(admin.email);
  });

  it('issues a token with another user as its steward', async () => {
    await page.goto(`${baseUrl}/tokens/new`);
    await page.getByLabel(/^Name/).fill(issuedName);
    await stewardShows(tenant.email);
    await pickSteward(admin.email);
    await page.getByRole('button', { name: 'Issue token' }).click();
    await page.getByRole('link', { name: 'Go to the token' }).click();
    await page.getByRole('heading', { name: issuedName, exact: true }).waitFor();
    await stewardShows(admin.email);
    const issuedId = page.url().split('/').pop() ?? '';
    expect(await stewardOf(`/v1/tokens/${issuedId}`)).toBe(admin.id);
  });

  it("shows a service's steward on its page, and hands it over", async () => {
    await page.goto(`${baseUrl}/services/${serviceId}`);
    await page.getByRole('heading', { name: serviceName, exact: true }).waitFor();
    await stewardShows(admin.email);

    await pickSteward(tenant.email);
    await page.getByText(`${tenant.email} is now accountable for ${serviceName}.`).waitFor();
    expect(await stewardOf(`/v1/services/${serviceId}`)).toBe(tenant.ownerId);
    await page.reload();
    await page.getByRole('heading', { name: serviceName, exact: true }).waitFor();
    await stewardShows(tenant.email);
  });

  it('shows an operator both stewards by e-mail, with nothing to change', async () => {
    await logOut(page, baseUrl);
    await logIn(page, baseUrl, operator.email, PASSWORD);

    await page.goto(`${baseUrl}/tokens/${tokenId}`);
    await page.getByRole('heading', { name: tokenName, exact: true }).waitFor();
    const main = page.locator('main');
    await factIn(main, 'Steward').getByText(admin.email, { exact: true }).waitFor();
    expect(await factIn(main, 'Steward').locator('[data-actor-id]').getAttribute('title')).toBe(`user ${admin.id}`);
    expect(await steward().count()).toBe(0);

    await page.goto(`${baseUrl}/services/${serviceId}`);
    await page.getByRole('heading', { name: serviceName, exact: true }).waitFor();
    await factIn(main, 'Steward').getByText(tenant.email, { exact: true }).waitFor();
    expect(await steward().count()).toBe(0);
  });
});
