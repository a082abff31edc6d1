import { ApiClient, AuthenticatorApp, PASSWORD, asOwner, signupTenant, type TestTenant } from '@custos/testing';
import type { Page } from 'playwright-core';
import { launchBrowser, logOut, screenshot, type Browser } from './support/browser';

/** The policy's shortest step-up window (libs/domain AUTH_POLICY_LIMITS). */
const STEP_UP_SECONDS = 60;

/**
 * Strong sign-in in a real browser, against the test run's api (which serves the built dashboard): the
 * owner is urged to enrol, enrols an authenticator app from the Security page (the key read from the
 * page, codes computed as an app would), keeps the recovery codes, logs out and back in with password
 * and code (a wrong code refused), signs in on a second browser with a recovery code, sees where they
 * are signed in, ends the session of that second browser (which is signed out at once), and issues a
 * key with a custos: scope through the step-up dialog once their last check is older than the policy
 * allows.
 */
describe('security in the browser', () => {
  let tenant: TestTenant;
  let baseUrl: string;
  let browser: Browser;
  let other: Browser | undefined;
  let page: Page;
  let app: AuthenticatorApp;
  /** One of the recovery codes shown at enrolment, as the person saved it. */
  let recoveryCode: string;
  /** Password, then a recovery code instead of the app's; lands on the overview. */
  async function logInWithRecoveryCode(on: Page, code: string): Promise<void> {
    await on.goto(`${baseUrl}/login`);
    await on.getByLabel(/^E-mail/).fill(tenant.email);
    await on.getByLabel(/^Password/).fill(PASSWORD);
    await on.getByRole('button', { name: 'Log in' }).click();
    await on.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    await on.getByRole('button', { name: 'Use a recovery code' }).click();
    await on.getByRole('textbox', { name: /^Recovery code/ }).fill(code);
    await on.getByRole('button', { name: 'Verify' }).click();
    await on.waitForURL(/\/overview$/);
  }

  beforeAll(async () => {
    const api = ApiClient.fromEnv();
    baseUrl = api.baseUrl;
    tenant = await signupTenant(api, 'Security E2E');
    // The shortest step-up window, set while the owner has no MFA (so no step-up yet).
    const { updatedAt: _updatedAt, ...policy } = (await tenant.owner.get<Record<string, unknown>>('/v1/policy')).body;
    const saved = await tenant.owner.put('/v1/policy', { ...policy, auth: { stepUpSeconds: STEP_UP_SECONDS } });
    if (saved.status !== 200) throw new Error(`policy not saved: ${saved.status} ${JSON.stringify(saved.body)}`);

    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel(/^E-mail/).fill(tenant.email);
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/overview$/);
  }, 60_000);

  afterAll(async () => {
    await other?.close();
    await browser?.close();
  });

  it('urges the owner to enrol, and enrols an authenticator app from the Security page', async () => {
    const nudge = page.getByRole('alert', { name: 'Protect your account with two-step verification' });
    await nudge.waitFor();
    await nudge.getByRole('link', { name: 'set up an authenticator app' }).click();
    await page.waitForURL(/\/security$/);
    await page.getByRole('heading', { name: 'Security', level: 1 }).waitFor();

    const card = page.getByRole('region', { name: 'Authenticator app' });
    await card.getByRole('button', { name: 'Set up authenticator app' }).click();
    await card.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    const secret = (await card.getByTestId('totp-secret').getAttribute('data-secret')) ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    // What a person types by hand: the key as shown, in groups of four.
    expect((await card.getByLabel('Secret key').textContent())?.replace(/\s/g, '')).toBe(secret);
    app = new AuthenticatorApp(secret);

    await card.getByRole('textbox', { name: /^Six-digit code/ }).fill(await app.code());
    await card.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByRole('region', { name: 'Recovery codes' });
    await codes.waitFor();
    expect(await codes.getByTestId('recovery-code').count()).toBe(10);
    recoveryCode = (await codes.getByTestId('recovery-code').first().textContent())?.trim() ?? '';
    expect(await codes.getByRole('button', { name: 'Done' }).isDisabled()).toBe(true);
    await codes.getByRole('checkbox', { name: 'I saved my recovery codes' }).check();
    await codes.getByRole('button', { name: 'Done' }).click();
    await codes.waitFor({ state: 'detached' });

    await card.getByTestId('recovery-codes-left').waitFor();
    expect(await card.getByTestId('recovery-codes-left').textContent()).toBe('10 of 10 recovery codes left.');
    expect(await card.getByText('On', { exact: true }).count()).toBe(1);
    // Enrolled: the banner is gone from other pages too.
    await page.goto(`${baseUrl}/overview`);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(await nudge.count()).toBe(0);
  });

  it('asks for a code at the next log-in, and refuses a wrong one', async () => {
    await logOut(page, baseUrl);
    await page.getByLabel(/^E-mail/).fill(tenant.email);
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    await page.getByRole('button', { name: 'Use a recovery code' }).waitFor();
    await screenshot(page, 'login-mfa');

    const code = page.getByRole('textbox', { name: /^Six-digit code/ });
    await code.fill(app.usedCode());
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('That code is not right, or it was used already. Try the current one.').waitFor();
    expect(page.url()).toMatch(/\/login$/);

    await code.fill(await app.code());
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/overview$/);
  });

  it('lists the sessions, and ends the one of another browser at once', async () => {
    other = await launchBrowser();
    const laptop = await other.context.newPage();
    // A recovery code, which the person may use anywhere (and the app has at most three codes at hand:
    // a fourth would wait for the next 30-second step).
    await logInWithRecoveryCode(laptop, recoveryCode);

    await page.getByRole('banner').getByRole('link', { name: 'Security' }).click();
    await page.waitForURL(/\/security$/);
    const table = page.getByRole('table', { name: 'Sessions' });
    const laptopEnd = table.getByRole('button', { name: /^End the session on Headless Chrome on Linux/ });
    await laptopEnd.waitFor();
    // This browser, the other one, and the test's own API session from sign-up.
    expect(await table.locator('tbody tr').count()).toBe(3);
    const here = table.locator('tbody tr').filter({ hasText: 'This device' });
    expect(await here.count()).toBe(1);
    expect(await here.locator('td').nth(4).textContent()).toBe('Now');
    await page.mouse.move(0, 0);
    await screenshot(page, 'security');

    await laptopEnd.click();
    await page.getByRole('dialog').getByRole('button', { name: 'End session' }).click();
    await laptopEnd.waitFor({ state: 'detached' });
    expect(await table.locator('tbody tr').count()).toBe(2);

    // Ended at once: the other browser's next request finds no session.
    await laptop.goto(`${baseUrl}/tokens`);
    await laptop.waitForURL(/\/login\?next=%2Ftokens$/);
  });

  it('asks for a code before issuing a key with a custos: scope, then issues it', async () => {
    // The last check must be older than the policy's window: moved back by the database's owner, as
    // waiting it out would hold the test run for a minute.
    await asOwner((db) =>
      db.query(`UPDATE sessions SET mfa_at = now() - make_interval(secs => $2) WHERE user_id = $1`, [tenant.ownerId, STEP_UP_SECONDS + 60]),
    );
    await page.goto(`${baseUrl}/tokens/new`);
    await page.getByLabel(/^Name/).fill('ops audit reader');
    const scopes = page.getByRole('combobox', { name: 'Scopes' });
    await scopes.fill('custos:audit:read');
    await scopes.press('Enter');
    await page.getByRole('button', { name: 'Issue token' }).click();

    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
    await dialog.waitFor();
    await dialog.getByRole('textbox', { name: /^Code/ }).fill(await app.code());
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.waitFor({ state: 'detached' });

    // The refused request was sent again: the secret shows once, as for any key.
    const secret = (await page.getByTestId('token-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^cus_live_[0-9A-Za-z]+$/);
  });
});
