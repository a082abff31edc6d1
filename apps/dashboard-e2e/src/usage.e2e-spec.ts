import { randomUUID } from 'node:crypto';
import type { UsageEvent } from '@custos/domain';
import { ApiClient, createService, issueToken, PASSWORD, seedUsageEvents, serviceKey, signupTenant, usageEvent, type TestTenant } from '@custos/testing';
import type { Locator, Page } from 'playwright-core';
import { bodyRows, eventually, factIn, launchBrowser, logIn, screenshot, type Browser } from './support/browser';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The network of a German address the bundled country database places in Germany, and Google's in the United States. */
const GERMAN_IP = '85.214.132.117';
const US_IP = '8.8.8.8';

/** The labels a chart's category axis shows (days, or countries), in order. */
async function categoriesOf(chart: Locator, axis: 'x' | 'y'): Promise<string[]> {
  return chart.locator(`.recharts-${axis}Axis-tick-labels .recharts-cartesian-axis-tick-value`).allTextContents();
}

/** The cells of the usage events table's body rows, without the time. */
async function eventRows(page: Page): Promise<string[][]> {
  return (await bodyRows(page.getByRole('table', { name: 'Usage events' }))).map((cells) => cells.slice(1));
}

/**
 * Usage in a real browser against the test run's api (which serves the built dashboard): the Usage page
 * charts a tenant's uses (stored as the api's writer stores them) over time and by country and lists them
 * with their networks; filters by token, period and cross-border narrow every panel; a token's Usage tab
 * sums it up; and an owner makes a token EU-only in the edit form, after which a use from the United
 * States answers GEO_BLOCKED and shows in the tab.
 */
describe('usage in the browser', () => {
  let tenant: TestTenant;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  const suffix = randomUUID().slice(0, 6);
  const tokenName = `e2e orders reader ${suffix}`;
  let tokenId = '';
  let tokenSecret = '';
  let seeded: UsageEvent[] = [];
  const utcDay = (d: Date) => d.toISOString().slice(0, 10);

  beforeAll(async () => {
    const api = ApiClient.fromEnv();
    baseUrl = api.baseUrl;
    tenant = await signupTenant(api, 'Usage E2E');
    const service = await createService(tenant.owner, { name: `orders ${suffix}`, allowedScopes: ['orders:read'] });
    // Its data belong to the EU and it is watched (monitor) but not yet fenced: the test fences it in the edit form.
    const issued = await issueToken(tenant.owner, { name: tokenName, ownerServiceId: service.id, residencyRegion: 'EU', geoMode: 'monitor', expiresInSeconds: 30 * 86_400 });
    tokenId = issued.token.id;
    tokenSecret = issued.secret;
    const billing = (await issueToken(tenant.owner, { name: `e2e billing ${suffix}` })).token.id;

    const now = Date.now();
    const use = (daysAgo: number, hour: number, overrides: Partial<UsageEvent>) =>
      usageEvent(tenant.tenantId, { tokenId, occurredAt: new Date(now - daysAgo * DAY - hour * HOUR), callerId: 'tok_e2e_caller', ...overrides });
    const us = { country: 'US', region: 'US', ipPrefix: '8.8.8.0/24', ipHash: 'hash-us', crossBorder: true } as const;
    seeded = [
      // 30 uses of the token over eight days: 24 from Germany (two addresses), 3 from France, 2 from the US, 1 from Japan.
      ...Array.from({ length: 24 }, (_, i) => use(i % 8, 1 + (i % 5), { ipHash: `hash-de-${i % 2}`, resource: 'orders/list' })),
      ...Array.from({ length: 3 }, (_, i) => use(i + 1, 2, { country: 'FR', ipPrefix: '212.27.48.0/24', ipHash: 'hash-fr' })),
      use(2, 3, { ...us, outcome: 'GEO_BLOCKED', geoFlagged: false, resource: 'orders/42' }),
      use(1, 3, { ...us, outcome: 'VALID', geoFlagged: true, resource: 'orders/43' }),
      use(3, 4, { country: 'JP', region: 'APAC', ipPrefix: '133.11.0.0/24', ipHash: 'hash-jp', crossBorder: true, outcome: 'INSUFFICIENT_SCOPE' }),
      // Another token's 4 uses from the United Kingdom, and a token nobody has.
      ...Array.from({ length: 4 }, (_, i) => use(i, 6, { tokenId: billing, country: 'GB', region: 'UK', ipPrefix: '81.2.69.0/24', ipHash: 'hash-gb' })),
      use(0, 0.5, { tokenId: null, outcome: 'NOT_FOUND', country: null, region: null, ipPrefix: '10.1.2.0/24', ipHash: 'hash-private' }),
    ];
    await seedUsageEvents(seeded);

    browser = await launchBrowser();
    page = await browser.context.newPage();
    await logIn(page, baseUrl, tenant.email, PASSWORD);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("charts the tenant's uses of the last 30 days by day and by country, and lists them with their networks", async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Usage', exact: true }).click();
    await page.waitForURL(/\/usage$/);
    const overTime = page.getByRole('region', { name: 'Uses per day (UTC) by outcome' });
    const byCountry = page.getByRole('region', { name: 'Uses per country' });
    await overTime.getByText('35 uses').waitFor();
    await byCountry.getByText('35 uses').waitFor();

    // A bar for each UTC day with uses, one segment per outcome of that day.
    const daysWith = (outcome: string) => new Set(seeded.filter((e) => e.outcome === outcome).map((e) => utcDay(e.occurredAt))).size;
    await overTime.locator('path.recharts-rectangle').first().waitFor();
    expect(await overTime.locator('path.recharts-rectangle[name="VALID"]').count()).toBe(daysWith('VALID'));
    expect(await overTime.locator('path.recharts-rectangle[name="GEO_BLOCKED"]').count()).toBe(1);
    expect(await categoriesOf(byCountry, 'y')).toEqual([
      'Germany (DE) · EU',
      'United Kingdom (GB) · UK',
      'France (FR) · EU',
      'United States (US) · US',
      'Japan (JP) · APAC',
      'Unknown',
    ]);

    // Newest first, 25 at a time, tokens by name: the token nobody has, from a private network, leads.
    await page.getByRole('table', { name: 'Usage events' }).getByRole('link', { name: tokenName }).first().waitFor();
    const first = await eventRows(page);
    expect(first).toHaveLength(25);
    expect(first[0]).toEqual(['none found', 'NOT_FOUND', 'Unknown', '10.1.2.0/24', 'no', '—']);
    await screenshot(page, 'usage');
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByRole('table', { name: 'Usage events' }).locator('tbody tr').nth(34).waitFor();
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
  });

  it('narrows every panel to a token, to cross-border uses and to a day counted by hour', async () => {
    const picker = page.getByRole('combobox', { name: 'Token' });
    await picker.click();
    await picker.fill(`e2e orders`);
    await page.getByRole('option', { name: tokenName }).click();
    await page.waitForURL((url) => url.searchParams.get('token') === tokenId);
    await page.getByRole('region', { name: 'Uses per day (UTC) by outcome' }).getByText('30 uses').waitFor();
    await page.getByRole('region', { name: 'Uses per country' }).getByText('30 uses').waitFor();

    await page.getByRole('switch', { name: 'Cross-border only' }).check({ force: true });
    const table = page.getByRole('table', { name: 'Usage events' });
    await table.locator('tbody tr').nth(2).waitFor();
    await table.locator('tbody tr').nth(3).waitFor({ state: 'detached' });
    await table.getByRole('link', { name: tokenName }).first().waitFor();
    const rows = await eventRows(page);
    // The monitored use from the US that a geofence would have refused is marked as such.
    expect(rows).toEqual([
      [tokenName, 'VALID', 'United States (US) · US', '8.8.8.0/24', 'cross-borderoutside geofence', 'orders/43'],
      [tokenName, 'GEO_BLOCKED', 'United States (US) · US', '8.8.8.0/24', 'cross-border', 'orders/42'],
      [tokenName, 'INSUFFICIENT_SCOPE', 'Japan (JP) · APAC', '133.11.0.0/24', 'cross-border', '—'],
    ]);

    // One day (the browser's time zone is UTC), counted by hour; the URL carries it all.
    const today = utcDay(new Date());
    const usesToday = seeded.filter((e) => e.tokenId === tokenId && utcDay(e.occurredAt) === today).length;
    await page.goto(`${baseUrl}/usage?token=${tokenId}&from=${today}&to=${today}`);
    await page.getByRole('region', { name: 'Uses per hour by outcome' }).getByText(`${usesToday} ${usesToday === 1 ? 'use' : 'uses'}`).waitFor();
  });

  it("sums up a token's usage in its Usage tab", async () => {
    await page.goto(`${baseUrl}/tokens/${tokenId}`);
    await page.getByRole('heading', { name: tokenName, exact: true }).waitFor();
    await page.getByRole('tab', { name: 'Usage' }).click();
    await page.waitForURL((url) => url.searchParams.get('tab') === 'usage');

    const summary = page.getByRole('region', { name: 'Summary' });
    await factIn(summary, 'Distinct addresses (30 days)').getByText('5', { exact: true }).waitFor();
    expect(await factIn(summary, 'Cross-border uses (30 days)').textContent()).toBe('3');
    const countries = page.getByRole('table', { name: 'Countries' }).locator('tbody tr');
    await countries.first().waitFor();
    const table: string[][] = [];
    for (const row of await countries.all()) table.push((await row.locator('td').allTextContents()).slice(0, 3));
    expect(table).toEqual([
      ['Germany (DE)', 'EU', '24'],
      ['France (FR)', 'EU', '3'],
      ['United States (US)', 'US', '2'],
      ['Japan (JP)', 'APAC', '1'],
    ]);
    const chart = page.getByRole('region', { name: 'Uses per day (last 30 days, UTC)' });
    await chart.locator('path.recharts-rectangle').first().waitFor();
    // Its own uses only: no token column.
    expect(await page.getByRole('table', { name: 'Usage events' }).locator('thead th').allTextContents()).toEqual([
      'When',
      'Outcome',
      'Country',
      'Network',
      'Border',
      'Resource',
    ]);
    await screenshot(page, 'token-usage');
  });

  it('makes the token EU-only in the edit form: saved, shown, and a use from the United States is refused', async () => {
    await page.goto(`${baseUrl}/tokens/${tokenId}/edit`);
    await page.getByRole('radio', { name: /^Enforce/ }).check();
    const regions = page.getByRole('combobox', { name: 'Allowed regions' });
    await regions.click();
    await page.getByRole('option', { name: 'EU — European Union' }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Save changes' }).click();

    await page.waitForURL(new RegExp(`/tokens/${tokenId}$`));
    const geofence = page.locator('div').filter({ has: page.getByRole('heading', { name: 'Residency and geofence', exact: true }) }).last();
    await geofence.waitFor();
    expect(await factIn(geofence, 'Geo mode').textContent()).toMatch(/^EnforceUses from elsewhere are refused with GEO_BLOCKED/);
    expect(await factIn(geofence, 'Residency region').textContent()).toBe('EU');
    expect(await factIn(geofence, 'Allowed regions').textContent()).toBe('EU');
    const saved = await tenant.owner.get<{ geoMode: string; residencyRegion: string; allowedRegions: string[]; allowedCountries: string[] }>(`/v1/tokens/${tokenId}`);
    expect(saved.body).toMatchObject({ geoMode: 'enforce', residencyRegion: 'EU', allowedRegions: ['EU'], allowedCountries: [] });

    const verifier = (await serviceKey(tenant, ['custos:tokens:verify'])).client;
    const verify = async (ip: string) => (await verifier.post<{ code: string }>('/v1/verify', { token: tokenSecret, context: { ip, resource: 'orders/99' } })).body.code;
    expect(await verify(GERMAN_IP)).toBe('VALID');
    expect(await verify(US_IP)).toBe('GEO_BLOCKED');

    // The refusal is a use like any: the writer stores it within its flush interval.
    await page.goto(`${baseUrl}/tokens/${tokenId}?tab=usage`);
    const table = page.getByRole('table', { name: 'Usage events' });
    await eventually(page, table.locator('tbody tr[data-outcome="GEO_BLOCKED"]').filter({ hasText: 'orders/99' }));
    const [newest] = await eventRows(page);
    expect(newest).toEqual(['GEO_BLOCKED', 'United States (US) · US', '8.8.8.0/24', 'cross-border', 'orders/99']);
  });
});
