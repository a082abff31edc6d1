import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { addUser, ApiClient, PASSWORD, signupTenant, type TestTenant } from '@custos/testing';
import type { Page } from 'playwright-core';
import { launchBrowser, logIn as logInAs, logOut as logOutOf, screenshot, type Browser } from './support/browser';

const DAY = 86_400_000;
const isoIn = (days: number) => new Date(Date.now() + days * DAY).toISOString();

/**
 * Consent windows in a real browser, against the test run's api (which serves the built dashboard): an
 * owner records a consent, issues a token bound to it for one of its data categories, withdraws the
 * consent, and sees the token revoked with reason consent_withdrawn and the withdrawal marked on the
 * timeline; the subject's report exports as JSON; an auditor reads it all, a viewer sees none of it.
 */
describe('consents in the browser', () => {
  let tenant: TestTenant;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  const subjectRef = `cust_${randomUUID().slice(0, 8)}`;
  const tokenName = `e2e newsletter mailer ${randomUUID().slice(0, 6)}`;
  let consentId = '';
  let activeConsentId = '';

  /** Other subjects' consents, so the timeline shows every status (and a renewal) around the new one. */
  async function seedConsents(owner: ApiClient): Promise<void> {
    const record = async (body: Record<string, unknown>): Promise<string> => {
      const res = await owner.post<{ id: string }>('/v1/consents', { lawfulBasis: 'consent', jurisdiction: 'EU', source: 'e2e-seed', ...body });
      expect(res.status).toBe(201);
      return res.body.id;
    };
    await record({ subjectRef: 'cust_a1', purpose: 'analytics', dataCategories: ['usage'], validFrom: isoIn(-300), validUntil: isoIn(-30) });
    activeConsentId = await record({
      subjectRef: 'cust_b2',
      purpose: 'order-fulfilment',
      dataCategories: ['personal', 'payment_card'],
      lawfulBasis: 'contract',
      validFrom: isoIn(-120),
      validUntil: isoIn(60),
    });
    expect((await owner.post(`/v1/consents/${activeConsentId}/renew`, { validUntil: isoIn(140) })).status).toBe(200);
    await record({ subjectRef: 'cust_c3', purpose: 'research', dataCategories: ['health'], jurisdiction: 'DE', validFrom: isoIn(30), validUntil: isoIn(400) });
  }

  const logIn = (email: string): Promise<void> => logInAs(page, baseUrl, email, PASSWORD);
  const logOut = (): Promise<void> => logOutOf(page, baseUrl);

  beforeAll(async () => {
    const api = ApiClient.fromEnv();
    baseUrl = api.baseUrl;
    tenant = await signupTenant(api, 'Consents E2E');
    await seedConsents(tenant.owner);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await logIn(tenant.email);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('records a consent, reminding that the subject is a pseudonymous reference', async () => {
    await page.getByRole('link', { name: 'Consents', exact: true }).click();
    await page.getByRole('heading', { name: 'Consents' }).waitFor();
    await page.locator(`[data-consent-id="${activeConsentId}"]`).waitFor();
    await page.getByRole('button', { name: 'New consent' }).click();

    const dialog = page.getByRole('dialog', { name: 'New consent' });
    await dialog.getByText('never an e-mail address or a name', { exact: false }).waitFor();
    await dialog.getByLabel(/^Subject reference/).fill('jane@example.com');
    await dialog.getByRole('button', { name: 'Record consent' }).click();
    await dialog.getByText('This looks like an e-mail address').waitFor();

    await dialog.getByLabel(/^Subject reference/).fill(subjectRef);
    await dialog.getByLabel(/^Purpose/).fill('newsletter');
    const categories = dialog.getByRole('combobox', { name: /^Data categories/ });
    await categories.fill('personal');
    await categories.press('Enter');
    await categories.fill('email');
    await categories.press('Enter');
    await dialog.getByRole('button', { name: 'Record consent' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The new consent opens in the drawer, from where a token can be bound to it.
    await page.waitForURL(/[?&]consent=cns_/);
    consentId = new URL(page.url()).searchParams.get('consent') ?? '';
    expect(consentId).toMatch(/^cns_/);
    const drawer = page.locator(`[data-consent-detail="${consentId}"]`);
    await drawer.getByText('active', { exact: true }).waitFor();
    await drawer.getByRole('link', { name: subjectRef }).waitFor();
  });

  it('issues a token bound to the consent, for one of its data categories', async () => {
    await page.getByRole('link', { name: 'Issue a token for this consent' }).click();
    await page.waitForURL(/\/tokens\/new\?consentId=cns_/);
    await page.getByRole('heading', { name: 'Issue a token' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Consent', exact: true }).inputValue()).toBe(consentId);
    await page.getByText(`${subjectRef}, “newsletter” (active)`).waitFor();

    await page.getByLabel(/^Name/).fill(tokenName);
    const scopes = page.getByRole('combobox', { name: 'Scopes' });
    await scopes.fill('newsletter:send');
    await scopes.press('Enter');
    const categories = page.getByRole('combobox', { name: /^Data categories/ });
    await categories.fill('personal');
    await categories.press('Enter');
    await page.getByRole('button', { name: 'Issue token' }).click();
    await page.getByTestId('token-secret').waitFor();

    await page.getByRole('link', { name: 'Go to the token' }).click();
    await page.getByRole('heading', { name: tokenName, exact: true }).waitFor();
    await page.getByRole('link', { name: consentId }).waitFor();
    await page.getByText('personal', { exact: true }).waitFor();
  });

  it('withdraws the consent and says how many tokens that revoked', async () => {
    await page.getByRole('link', { name: consentId }).click();
    await page.waitForURL(new RegExp(`/consents\\?consent=${consentId}`));
    const drawer = page.locator(`[data-consent-detail="${consentId}"]`);
    const tokenRow = drawer.getByRole('table', { name: 'Bound tokens' }).locator('tr', { hasText: tokenName });
    await tokenRow.getByText('active', { exact: true }).waitFor();

    await drawer.getByRole('button', { name: 'Withdraw' }).click();
    const confirm = page.getByRole('dialog', { name: /^Withdraw the consent of/ });
    await confirm.getByLabel(/^Reason/).fill('e2e: the subject unsubscribed');
    await confirm.getByRole('button', { name: 'Withdraw consent' }).click();
    const done = page.getByRole('dialog', { name: 'Consent withdrawn' });
    expect((await done.getByTestId('revoked-tokens').textContent())?.trim()).toBe('1 token revoked');
    await screenshot(page, 'consent-withdrawn');
    await done.getByRole('button', { name: 'Done' }).click();
    await done.waitFor({ state: 'hidden' });

    await drawer.getByText('withdrawn', { exact: true }).first().waitFor();
    await tokenRow.getByText('revoked', { exact: true }).waitFor();
    await tokenRow.getByText('consent_withdrawn').waitFor();
    expect(await drawer.getByRole('button', { name: 'Withdraw' }).count()).toBe(0);
  });

  it('shows the token revoked, and the withdrawal on the timeline', async () => {
    await page.goto(`${baseUrl}/tokens`);
    await page.getByRole('link', { name: tokenName }).click();
    await page.getByRole('heading', { name: tokenName, exact: true }).waitFor();
    await page.getByText('revoked', { exact: true }).first().waitFor();
    await page.getByText(/consent_withdrawn/).waitFor();

    await page.getByRole('link', { name: 'Consents', exact: true }).click();
    const row = page.locator(`[data-consent-id="${consentId}"]`);
    expect(await row.getByTestId('consent-bar').getAttribute('data-status')).toBe('withdrawn');
    await row.getByTestId('withdrawal-marker').waitFor();
    await page.getByTestId('today-line').waitFor();
    expect(await page.locator('[data-testid="consent-bar"]').count()).toBeGreaterThanOrEqual(3);
    await screenshot(page, 'consents');

    // Filters go to the API: only this subject's consent is left.
    await page.getByLabel('Subject', { exact: true }).fill(subjectRef);
    await page.waitForURL(new RegExp(`subjectRef=${subjectRef}`));
    await page.getByText('1 consent, all shown').waitFor();
  });

  it("looks up the subject and downloads the API's JSON export", async () => {
    await page.getByRole('link', { name: 'Subject lookup', exact: true }).click();
    await page.getByLabel(/^Subject reference/).fill(subjectRef);
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.waitForURL(new RegExp(`/subjects/${subjectRef}$`));
    await page.getByTestId('stat-consents').getByText('1').waitFor();
    await page.getByTestId('stat-tokens').getByText('1').waitFor();
    await page.getByRole('table', { name: `Tokens bound to ${consentId}` }).getByText('consent_withdrawn').waitFor();
    await screenshot(page, 'subject-lookup');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export (JSON)' }).click()]);
    expect(download.suggestedFilename()).toBe(`custos-subject-${subjectRef}.json`);
    const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as { subjectRef: string; consents: Array<{ id: string; tokens: Array<{ revokedReason: string | null }> }> };
    expect(exported.subjectRef).toBe(subjectRef);
    expect(exported.consents.map((c) => c.id)).toEqual([consentId]);
    expect(exported.consents[0]?.tokens.map((t) => t.revokedReason)).toEqual(['consent_withdrawn']);
  });

  it('lets an auditor read consents and change none, and shows a viewer none of it', async () => {
    const auditor = await addUser(tenant, 'auditor');
    const viewer = await addUser(tenant, 'viewer');

    await logOut();
    await logIn(auditor.email);
    await page.goto(`${baseUrl}/consents?consent=${activeConsentId}`);
    const drawer = page.locator(`[data-consent-detail="${activeConsentId}"]`);
    await drawer.getByText('2 (renewal)').waitFor();
    expect(await page.getByRole('button', { name: 'New consent' }).count()).toBe(0);
    for (const action of ['Withdraw', 'Renew']) expect(await drawer.getByRole('button', { name: action }).count()).toBe(0);
    expect(await drawer.getByRole('link', { name: /Issue a token/ }).count()).toBe(0);

    await logOut();
    await logIn(viewer.email);
    await page.getByRole('link', { name: 'Tokens', exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'Consents', exact: true }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Subject lookup', exact: true }).count()).toBe(0);
  });
});
