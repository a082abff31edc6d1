import { ApiClient } from '@custos/testing';
import type { Page } from 'playwright-core';
import { launchBrowser, type Browser } from './support/browser';

/**
 * A first visit, with a fresh profile and no session: the login page loads without one console error
 * or failed request (the session probe answers 200 before log-in), and what it downloads is small.
 */
describe('first visit to the dashboard', () => {
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const transfers: { url: string; encoding: string | undefined; bytes: number }[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
    page.on('response', async (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.request().method()} ${response.url()}`);
      const { responseBodySize } = await response.request().sizes();
      transfers.push({ url: response.url(), encoding: await response.headerValue('content-encoding') ?? undefined, bytes: responseBodySize });
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the login page with no console error and no failed request', async () => {
    await page.goto(`${ApiClient.fromEnv().baseUrl}/login`);
    await page.getByLabel(/^E-mail/).waitFor();
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual([]);
    const probe = transfers.find((t) => t.url.endsWith('/v1/auth/session'));
    expect(probe).toBeDefined();
  });

  it('downloads its script and styles compressed, under 250 kB in all', async () => {
    const assets = transfers.filter((t) => new URL(t.url).pathname.startsWith('/assets/'));
    expect(assets.some((t) => t.url.endsWith('.js'))).toBe(true);
    for (const t of assets.filter((a) => a.bytes > 1024)) expect(['br', 'gzip']).toContain(t.encoding);
    const total = transfers.reduce((sum, t) => sum + t.bytes, 0);
    expect(total).toBeLessThan(250_000);
  });
});
