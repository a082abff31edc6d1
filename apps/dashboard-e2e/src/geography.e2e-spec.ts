import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ApiClient, issueToken, PASSWORD, pollUntil, serviceKey, signupTenant, verifyToken, type TestTenant } from '@custos/testing';
import type { Page } from 'playwright-core';
import { bodyRows, eventually, factIn, launchBrowser, logIn, screenshot, type Browser } from './support/browser';

/** Addresses the bundled country database places in Germany, the United States, Japan and the United Kingdom. */
const IP = { DE: '85.214.132.117', US: '8.8.8.8', JP: '133.11.0.1', GB: '81.2.69.142' } as const;

interface CrossBorderBody {
  items: Array<{ tokenId: string; toCountry: string; count: number; byOutcome: Record<string, number> }>;
}

/**
 * Usage intelligence in a real browser against the test run's api (which serves the built dashboard),
 * on uses made by real verifies through the API with a service key: the Usage page's cross-border
 * transfers and their CSV and JSON export, the inventory filtered to tokens used in a region and across
 * their border, a rate limit set in the edit form (saved, and enforced), and a geo rule with a region
 * group of the tenant's own saved in Settings.
 */
describe('usage intelligence in the browser', () => {
  let tenant: TestTenant;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  let verifier: ApiClient;
  const suffix = randomUUID().slice(0, 6);
  const names = { records: `e2e patient records ${suffix}`, billing: `e2e billing ${suffix}`, orders: `e2e orders ${suffix}` };
  const ids = { records: '', billing: '', orders: '' };
  let ordersSecret = '';

  beforeAll(async () => {
    const api = ApiClient.fromEnv();
    baseUrl = api.baseUrl;
    tenant = await signupTenant(api, 'Geography E2E');
    verifier = (await serviceKey(tenant, ['custos:tokens:verify'])).client;
    // Data that belong in the EU: one token watched (monitor), one fenced in (enforce).
    const records = await issueToken(tenant.owner, { name: names.records, residencyRegion: 'EU', geoMode: 'monitor', allowedRegions: ['EU'] });
    const billing = await issueToken(tenant.owner, { name: names.billing, residencyRegion: 'EU', geoMode: 'enforce', allowedRegions: ['EU'] });
    const orders = await issueToken(tenant.owner, { name: names.orders });
    [ids.records, ids.billing, ids.orders, ordersSecret] = [records.token.id, billing.token.id, orders.token.id, orders.secret];

    const verify = async (secret: string, ip: string, expected: string) => expect((await verifyToken(verifier, secret, { context: { ip } })).code).toBe(expected);
    for (const ip of [IP.DE, IP.DE, IP.US, IP.US, IP.JP]) await verify(records.secret, ip, 'VALID');
    await verify(billing.secret, IP.DE, 'VALID');
    await verify(billing.secret, IP.US, 'GEO_BLOCKED');
    await verify(billing.secret, IP.GB, 'GEO_BLOCKED');
    // The api writes uses in batches: wait until all five transfers are counted.
    await pollUntil(
      async () => (await tenant.owner.get<CrossBorderBody>('/v1/cross-border')).body.items.reduce((sum, t) => sum + t.count, 0),
      (total) => total === 5,
    );

    browser = await launchBrowser();
    page = await browser.context.newPage();
    await logIn(page, baseUrl, tenant.email, PASSWORD);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("lists each token's uses from outside its residency region on the Usage page, and exports them as CSV and JSON", async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Usage', exact: true }).click();
    const panel = page.getByRole('region', { name: 'Cross-border transfers' });
    const table = panel.getByRole('table', { name: 'Cross-border transfers' });
    await table.locator('tbody tr').nth(3).waitFor();
    await panel.getByText('5 uses').waitFor();
    const rows = (await bodyRows(table)).map((cells) => cells.slice(0, 4));
    expect(rows.sort((a, b) => a.join().localeCompare(b.join()))).toEqual([
      [names.billing, 'EU → United Kingdom (GB) · UK', '1', 'GEO_BLOCKED 1'],
      [names.billing, 'EU → United States (US) · US', '1', 'GEO_BLOCKED 1'],
      [names.records, 'EU → Japan (JP) · APAC', '1', 'VALID 1'],
      [names.records, 'EU → United States (US) · US', '2', 'VALID 2'],
    ]);
    expect(await table.getByRole('link', { name: names.records }).first().getAttribute('href')).toBe(`/tokens/${ids.records}`);
    await page.getByRole('region', { name: 'Uses per country' }).getByText('8 uses').waitFor();
    await page.getByRole('table', { name: 'Usage events' }).locator('tbody tr').nth(7).waitFor();
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'cross-border');

    const [csv] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(csv.suggestedFilename()).toMatch(/^custos-cross-border-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = (await readFile(await csv.path(), 'utf8')).trim().split(/\r?\n/);
    expect(lines[0]).toBe('tokenId,tokenName,fromRegion,toCountry,toRegion,count,byOutcome,firstAt,lastAt');
    expect(lines.slice(1).filter((line) => line.startsWith(`${ids.records},${names.records},EU,US,US,2,`))).toHaveLength(1);
    expect(lines).toHaveLength(5);

    const [json] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Export JSON' }).click()]);
    expect(json.suggestedFilename()).toMatch(/^custos-cross-border-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse(await readFile(await json.path(), 'utf8')) as CrossBorderBody;
    expect(exported.items.find((t) => t.tokenId === ids.billing && t.toCountry === 'GB')).toMatchObject({ count: 1, byOutcome: { GEO_BLOCKED: 1 } });
    expect(exported.items).toHaveLength(4);
  });

  it('finds the tokens used in a region, and those used across their border, from the inventory filters kept in the URL', async () => {
    await page.goto(`${baseUrl}/tokens`);
    const usedIn = page.getByRole('combobox', { name: 'Used in' });
    await usedIn.click();
    await usedIn.fill('us');
    await page.getByRole('option', { name: 'US — United States' }).click();
    await page.waitForURL((url) => url.searchParams.get('usedIn') === 'US');
    // Only a VALID use counts: billing was refused in the United States.
    const table = page.getByRole('table', { name: 'Tokens' });
    await table.getByRole('link', { name: names.billing }).waitFor({ state: 'detached' });
    await table.getByRole('link', { name: names.records }).waitFor();
    expect(await table.locator('tbody tr').count()).toBe(1);
    // Its latest VALID use came from Japan, across its border.
    await eventually(page, table.locator('tbody tr').filter({ hasText: 'from JPcross-border' }));
    await screenshot(page, 'inventory-used-in');

    await page.goto(`${baseUrl}/tokens?crossBorder=true`);
    expect(await page.getByRole('switch', { name: 'Cross-border only' }).isChecked()).toBe(true);
    await table.getByRole('link', { name: names.records }).waitFor();
    expect(await table.getByRole('link', { name: names.orders }).count()).toBe(0);
  });

  it('sets a rate limit in the edit form: saved, shown on the token, and the sixth verify of a minute is refused', async () => {
    await page.goto(`${baseUrl}/tokens/${ids.orders}/edit`);
    await page.getByRole('textbox', { name: 'Rate limit (uses)' }).fill('5');
    expect(await page.getByRole('combobox', { name: 'Window' }).inputValue()).toBe('per minute');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(new RegExp(`/tokens/${ids.orders}$`));
    const restrictions = page.locator('div').filter({ has: page.getByRole('heading', { name: 'Restrictions', exact: true }) }).last();
    await factIn(restrictions, 'Rate limit').getByText('5 uses per minute').waitFor();
    const saved = await tenant.owner.get<{ rateLimit: unknown }>(`/v1/tokens/${ids.orders}`);
    expect(saved.body.rateLimit).toEqual({ limit: 5, windowSeconds: 60 });

    const answers: string[] = [];
    for (let i = 0; i < 6; i++) answers.push((await verifyToken(verifier, ordersSecret, { context: { ip: IP.DE } })).code);
    expect(answers).toEqual(['VALID', 'VALID', 'VALID', 'VALID', 'VALID', 'RATE_LIMITED']);
    await page.goto(`${baseUrl}/tokens/${ids.orders}?tab=usage`);
    await eventually(page, page.getByRole('table', { name: 'Usage events' }).locator('tbody tr[data-outcome="RATE_LIMITED"]'));
  });

  it("saves a geo rule that names a region group of the tenant's own, created in the same form", async () => {
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    const geography = page.getByRole('region', { name: 'Geography' });
    await geography.getByRole('button', { name: 'Add region group' }).click();
    const group = geography.getByRole('group', { name: 'Region group 1' });
    await group.getByRole('textbox', { name: 'Code' }).fill('dach');
    await group.getByRole('textbox', { name: /^Name/ }).fill('Germany, Austria, Switzerland');
    const countries = group.getByRole('combobox', { name: 'Countries' });
    for (const code of ['de', 'at', 'ch']) {
      await countries.fill(code);
      await countries.press('Enter');
    }

    await geography.getByRole('button', { name: 'Add rule' }).click();
    const rule = geography.getByRole('group', { name: 'Rule 1' });
    const categories = rule.getByRole('combobox', { name: 'Data categories' });
    await categories.fill('payroll');
    await categories.press('Enter');
    await rule.getByRole('combobox', { name: 'Allowed regions' }).click();
    await page.getByRole('option', { name: 'DACH — Germany, Austria, Switzerland' }).click();
    await page.keyboard.press('Escape');
    await geography.getByRole('radio', { name: /^Block/ }).check();
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('Policy saved').waitFor();

    const policy = await tenant.owner.get<{ geo: Record<string, unknown> }>('/v1/policy');
    expect(policy.body.geo).toEqual({
      defaultMode: 'off',
      defaultResidencyRegion: null,
      unknownLocation: 'block',
      rules: [{ dataCategories: ['payroll'], mode: 'enforce', allowedRegions: ['DACH'], allowedCountries: [] }],
      regionGroups: [{ code: 'DACH', name: 'Germany, Austria, Switzerland', countries: ['DE', 'AT', 'CH'] }],
    });
    // Read back as saved, the new group among the regions a token may name.
    await page.reload();
    await page.getByRole('region', { name: 'Geography' }).getByRole('group', { name: 'Rule 1' }).getByText('DACH — Germany, Austria, Switzerland').waitFor();
    await screenshot(page, 'settings-geo');
  });
});
