import { ApiClient, signupTenant, startApi, type RunningApi } from '@custos/testing';
import type { Page } from 'playwright-core';
import { launchBrowser, type Browser } from './support/browser';

/**
 * The queue dashboard (bull-board at /admin/queues) really runs in a browser under the app's security
 * headers: its scripts load and render the queues, and the only thing its CSP blocks is the
 * third-party font stylesheet it asks for.
 */
describe('queue dashboard in the browser', () => {
  let api: ApiClient;
  let server: RunningApi;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    // The board is for the installation's operators: an api whose operator tenant is this test's.
    const owner = await signupTenant(ApiClient.fromEnv(), 'Queue board');
    server = await startApi({ CUSTOS_OPERATOR_TENANT_ID: owner.tenantId });
    api = new ApiClient(server.url);
    const cookie = owner.owner.auth.cookie!;
    const [name, value] = [cookie.slice(0, cookie.indexOf('=')), cookie.slice(cookie.indexOf('=') + 1)];
    browser = await launchBrowser();
    await browser.context.addCookies([{ name, value, url: api.baseUrl }]);
    page = await browser.context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('renders the queues, with nothing blocked but the Google Fonts stylesheet', async () => {
    const response = await page.goto(`${api.baseUrl}/admin/queues`);
    expect(response?.status()).toBe(200);
    await page.getByText('maintenance', { exact: true }).first().waitFor({ state: 'visible' });
    await page.goto(`${api.baseUrl}/admin/queues/queue/maintenance`);
    await page.getByText('maintenance', { exact: true }).first().waitFor({ state: 'visible' });
    const unexpected = problems.filter((p) => !p.includes('fonts.googleapis.com'));
    expect(unexpected).toEqual([]);
    // The CSP is enforced and its refusals reach this listener (so an empty list above means something).
    expect(problems.some((p) => p.includes('Content Security Policy') && p.includes('fonts.googleapis.com'))).toBe(true);
  });
});
