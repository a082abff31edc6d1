import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { runMigrations } from '@custos/persistence';
import {
  adminUrl,
  ApiClient,
  appUrl,
  issueToken,
  PASSWORD,
  pollUntil,
  serviceKey,
  signupTenant,
  startApi,
  startWorker,
  verifyToken,
  withAdminClient,
  type RunningApi,
  type RunningProcess,
  type TestTenant,
} from '@custos/testing';
import type { Page } from 'playwright-core';
import { launchBrowser, logIn, screenshot, type Browser } from './support/browser';

interface TokenBody {
  scopes: string[];
  status: string;
}

interface CampaignBody {
  status: string;
  progress: { total: number; pending: number; decided: { keep: number; narrow: number; revoke: number } };
}

// @runsAlone: it starts a worker on the run's database, whose sweeps act on every tenant in it (npm test runs it after the rest, by itself).
/**
 * Access reviews in a real browser, as the owner: a campaign over all tokens opened from the Campaigns
 * page; in My reviews one token narrowed to the scope it used (the API then shows it without the other),
 * one revoked and the rest kept together; the campaign closed from its page and its signed PDF report,
 * made by the worker, downloaded. The shared api of the test run has no worker, and a worker's schedules
 * touch every tenant of its database, so this spec runs an api and a worker on a database of its own (as
 * compliance.e2e-spec.ts does).
 */
describe('access reviews in the browser', () => {
  const database = `custos_revui_${randomBytes(4).toString('hex')}`;
  const campaignName = 'Q4 access review';
  let server: RunningApi;
  let worker: RunningProcess;
  let baseUrl: string;
  let tenant: TestTenant;
  let browser: Browser;
  let page: Page;
  let narrowId = '';
  let revokeId = '';
  let campaignId = '';

  const row = (tokenName: string) => page.getByRole('table', { name: 'Review items' }).locator('tbody tr').filter({ has: page.getByRole('link', { name: tokenName, exact: true }) });
  const tokenOf = async (id: string) => (await tenant.owner.get<TokenBody>(`/v1/tokens/${id}`)).body;

  /** Opens the decision on a token's row, writes the comment and confirms; the row then leaves the queue. */
  async function decide(tokenName: string, decision: 'Keep' | 'Narrow' | 'Revoke', comment: string): Promise<void> {
    await row(tokenName).getByRole('button', { name: decision }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: /^Comment/ }).fill(comment);
    await dialog.getByRole('button', { name: decision, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row(tokenName).waitFor({ state: 'detached' });
  }

  beforeAll(async () => {
    await withAdminClient('postgres', (client) => client.query(`CREATE DATABASE ${database}`));
    await runMigrations(adminUrl(database));
    const env = {
      DATABASE_URL: appUrl(database),
      DATABASE_MIGRATION_URL: adminUrl(database),
      CUSTOS_QUEUE_PREFIX: `{custos-revui-${randomBytes(4).toString('hex')}}`,
    };
    server = await startApi(env);
    worker = await startWorker(env);
    baseUrl = server.url;
    tenant = await signupTenant(new ApiClient(server.url), 'Reviews E2E');

    const verifier = (await serviceKey(tenant, ['custos:tokens:verify'])).client;
    const narrow = await issueToken(tenant.owner, { name: 'orders api', scopes: ['orders:read', 'orders:write'] });
    narrowId = narrow.token.id;
    revokeId = (await issueToken(tenant.owner, { name: 'old billing export', scopes: ['billing:read'] })).token.id;
    await issueToken(tenant.owner, { name: 'stock sync', scopes: ['stock:read'] });
    // orders:read is used, orders:write never: narrow keeps the used one unless told otherwise.
    expect((await verifyToken(verifier, narrow.secret, { scopes: ['orders:read'] })).valid).toBe(true);
    await pollUntil(
      async () => (await tenant.owner.get<{ scopesUsed90d: string[] }>(`/v1/tokens/${narrowId}/usage`)).body.scopesUsed90d,
      (used) => used.includes('orders:read'),
      { timeoutMs: 10_000 },
    );

    browser = await launchBrowser();
    page = await browser.context.newPage();
    await logIn(page, baseUrl, tenant.email, PASSWORD);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await server?.stop();
    await withAdminClient('postgres', (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  }, 60_000);

  it('opens a campaign over all tokens from the Campaigns page', async () => {
    await page.getByRole('link', { name: 'Access reviews', exact: true }).click();
    await page.getByRole('heading', { name: 'Access reviews' }).waitFor();
    await page.getByText('No campaigns', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'New campaign' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: /^Name/ }).fill(campaignName);
    expect(await dialog.getByRole('radio', { name: 'All active tokens' }).isChecked()).toBe(true);
    expect(await dialog.getByRole('radio', { name: "Each token's steward" }).isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Open campaign' }).click();

    await page.waitForURL(/\/reviews\/campaigns\/arc_/);
    await page.getByRole('heading', { name: campaignName, exact: true }).waitFor();
    campaignId = page.url().split('/').pop() ?? '';
    const campaign = (await tenant.owner.get<CampaignBody>(`/v1/access-reviews/${campaignId}`)).body;
    // The three tokens and the verifier's service key, all issued (so stewarded) by the owner.
    expect(campaign).toMatchObject({ status: 'open', progress: { total: 4, pending: 4 } });
  });

  it("shows the owner's queue with used and unused scopes, and narrows a token to the scope it used", async () => {
    await page.getByRole('link', { name: /^My reviews/ }).click();
    await page.getByRole('heading', { name: 'My reviews' }).waitFor();
    await row('orders api').waitFor();
    expect(await page.getByRole('table', { name: 'Review items' }).locator('tbody tr').count()).toBe(4);
    // The navigation counts what waits.
    await page.getByRole('navigation', { name: 'Main' }).getByLabel('4 pending').waitFor();
    expect(await row('orders api').locator('[data-scope]').allTextContents()).toEqual(['orders:read', 'orders:write · unused 90 days']);
    await page.mouse.move(0, 0);
    await screenshot(page, 'my-reviews');

    await row('orders api').getByRole('button', { name: 'Narrow' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByRole('checkbox', { name: 'orders:read', exact: true }).isChecked()).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: 'orders:write (unused 90 days)' }).isChecked()).toBe(false);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await decide('orders api', 'Narrow', 'Write access unused for 90 days.');
    expect(await tokenOf(narrowId)).toMatchObject({ scopes: ['orders:read'], status: 'active' });
  });

  it('revokes another token', async () => {
    await decide('old billing export', 'Revoke', 'The export was retired.');
    expect((await tokenOf(revokeId)).status).toBe('revoked');
  });

  it('keeps the rest together with one comment', async () => {
    await page.getByRole('checkbox', { name: 'Select all' }).check();
    await page.getByRole('button', { name: 'Keep selected (2)' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: /^Comment/ }).fill('Both still needed by the warehouse team.');
    await dialog.getByRole('button', { name: 'Keep all' }).click();
    await page.getByText('Nothing to review', { exact: true }).waitFor();
    const campaign = (await tenant.owner.get<CampaignBody>(`/v1/access-reviews/${campaignId}`)).body;
    expect(campaign.progress).toMatchObject({ total: 4, pending: 0, decided: { keep: 2, narrow: 1, revoke: 1 } });
  });

  it('closes the campaign from the Campaigns page, and downloads its signed report once the worker made it', async () => {
    await page.getByRole('link', { name: 'Access reviews', exact: true }).click();
    const campaignRow = page.getByRole('table', { name: 'Campaigns' }).locator(`tr[data-campaign-id="${campaignId}"]`);
    await campaignRow.getByText('4 of 4 decided').waitFor();
    await campaignRow.getByRole('link', { name: campaignName }).click();
    await page.getByRole('heading', { name: campaignName, exact: true }).waitFor();
    await page.getByRole('button', { name: 'Close campaign' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Close campaign' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    expect((await tenant.owner.get<CampaignBody>(`/v1/access-reviews/${campaignId}`)).body.status).toBe('closed');
    expect(await page.getByRole('button', { name: 'Close campaign' }).count()).toBe(0);

    const reports = page.getByRole('group', { name: 'Reports' });
    await reports.getByRole('button', { name: 'Download PDF' }).waitFor({ timeout: 45_000 });
    await reports.getByRole('button', { name: 'Download JSON' }).waitFor({ timeout: 15_000 });
    await reports.getByRole('button', { name: 'Download CSV' }).waitFor({ timeout: 15_000 });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.mouse.move(0, 0);
    await screenshot(page, 'access-reviews');

    const [download] = await Promise.all([page.waitForEvent('download'), reports.getByRole('button', { name: 'Download PDF' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const file = await readFile(await download.path());
    expect(file.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  }, 90_000);
});
