import { randomBytes } from 'node:crypto';
import {
  addUser,
  ApiClient,
  issueToken,
  PASSWORD,
  signupTenant,
  startWebhookReceiver,
  startWorker,
  type ReceivedWebhook,
  type RunningProcess,
  type TestTenant,
  type WebhookReceiver,
} from '@custos/testing';
import type { Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { launchBrowser, logIn as logInAs, logOut as logOutOf, screenshot, type Browser } from './support/browser';

/** Whether the Standard Webhooks reference library accepts the received webhook with this secret. */
function verifiesWith(secret: string, received: ReceivedWebhook): boolean {
  const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(received.headers[h])]));
  try {
    new Webhook(secret).verify(received.body, headers);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// @runsAlone: it starts a worker on the run's database, whose sweeps act on every tenant in it (npm test runs it after the rest, by itself).
/**
 * The Webhooks page in a real browser, against the test run's api and a worker of this file's own (its
 * own queues; it sends the deliveries of the shared database, as apps/api-e2e/src/webhooks.e2e-spec.ts's
 * does), to a real receiver on 127.0.0.1 (the test api allows private URLs): an owner creates an
 * endpoint (secret shown once), sends a test event and sees it delivered, re-sends it, rotates the
 * secret (both secrets verify during the grace period), edits and disables it; an auditor reads it all
 * and changes nothing, a viewer has no Webhooks page.
 */
describe('webhooks in the browser', () => {
  let tenant: TestTenant;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  let worker: RunningProcess;
  let receiver: WebhookReceiver;
  let firstSecret = '';

  const logIn = (email: string): Promise<void> => logInAs(page, baseUrl, email, PASSWORD);
  const logOut = (): Promise<void> => logOutOf(page, baseUrl);
  const panel = () => page.locator('[data-webhook-panel]');
  const deliveryRows = () => panel().getByRole('table', { name: 'Deliveries' }).locator('tbody tr');

  beforeAll(async () => {
    const api = ApiClient.fromEnv();
    baseUrl = api.baseUrl;
    [worker, tenant, receiver] = await Promise.all([
      startWorker({
        CUSTOS_QUEUE_PREFIX: `{custos-whui-${randomBytes(4).toString('hex')}}`,
        CUSTOS_WEBHOOK_INTERVAL_MS: '200',
        CUSTOS_WEBHOOK_RETRY_BASE_MS: '300',
        CUSTOS_WEBHOOK_MAX_ATTEMPTS: '3',
      }),
      signupTenant(api, 'Webhooks E2E'),
      // The first request fails: the test event is retried once before it is delivered.
      startWebhookReceiver({ name: 'dashboard', answer: (n) => (n === 1 ? 503 : 204) }),
    ]);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await logIn(tenant.email);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await worker?.stop();
  });

  it('creates an endpoint pointing at the receiver and shows its signing secret once', async () => {
    await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await page.getByText('No webhooks yet').waitFor();
    await page.getByRole('button', { name: 'New webhook' }).click();

    const dialog = page.getByRole('dialog', { name: 'New webhook' });
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    await dialog.getByText('Pick at least one event').waitFor();
    await dialog.getByLabel(/^URL/).fill(receiver.url);
    await dialog.getByRole('checkbox', { name: 'token.revoked' }).check();
    await dialog.getByRole('checkbox', { name: 'token.expiring' }).check();
    await dialog.getByRole('button', { name: 'Create webhook' }).click();

    const reveal = page.getByRole('dialog', { name: 'Webhook created' });
    firstSecret = ((await reveal.getByLabel('Signing secret').textContent()) ?? '').trim();
    expect(firstSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await reveal.getByRole('button', { name: 'Copy secret' }).waitFor();
    await reveal.getByRole('button', { name: 'Done' }).click();
    await reveal.waitFor({ state: 'hidden' });

    await page.waitForURL(/[?&]webhook=whk_/);
    await panel().getByRole('heading', { name: receiver.url }).waitFor();
    await panel().getByText('No deliveries yet').waitFor();
    expect(await page.content()).not.toContain(firstSecret);
  });

  it('sends a test event, which the receiver gets signed with that secret, and shows its delivery with its attempts', async () => {
    await panel().getByRole('button', { name: 'Send test event' }).click();
    const [, delivered] = await receiver.waitFor(2);
    expect(JSON.parse(delivered!.body)).toMatchObject({ type: 'webhook.test', data: { action: 'webhook.test_sent' } });
    expect(verifiesWith(firstSecret, delivered!)).toBe(true);

    // The first attempt got a 503; the retry a 204. The table is read again until nothing is pending.
    const row = deliveryRows().first();
    await row.locator('[data-status="delivered"]').waitFor();
    await row.getByText('webhook.test').waitFor();
    await row.getByText('HTTP 204').waitFor();
    expect((await row.locator('td').nth(2).textContent())?.trim()).toBe('2');

    await row.click();
    const drawer = page.locator('[data-delivery-detail]');
    await drawer.getByText('HTTP 503').waitFor();
    await drawer.getByText(String(delivered!.headers['webhook-id'])).waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  });

  it('re-sends the delivery: the receiver gets the same event under the same webhook-id', async () => {
    await deliveryRows().first().getByRole('button', { name: /^Re-send webhook.test/ }).click();
    const [, first, again] = await receiver.waitFor(3);
    expect(again!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(JSON.parse(again!.body)).toEqual(JSON.parse(first!.body));

    await deliveryRows().nth(1).waitFor();
    const resent = deliveryRows().first();
    await resent.getByText('re-send', { exact: true }).waitFor();
    await resent.locator('[data-status="delivered"]').waitFor();
    expect(await deliveryRows().count()).toBe(2);
    await screenshot(page, 'webhook-deliveries');
  });

  it('rotates the secret after a confirmation: the new one is shown once, and both sign until the grace period ends', async () => {
    await panel().getByRole('button', { name: 'Rotate secret' }).click();
    const confirm = page.getByRole('dialog', { name: 'Rotate the signing secret?' });
    expect(await confirm.getByLabel('Old secret keeps signing for (hours)').inputValue()).toBe('24');
    await confirm.getByRole('button', { name: 'Rotate' }).click();

    const reveal = page.getByRole('dialog', { name: 'Signing secret rotated' });
    const secondSecret = ((await reveal.getByLabel('Signing secret').textContent()) ?? '').trim();
    expect(secondSecret).toMatch(/^whsec_/);
    expect(secondSecret).not.toBe(firstSecret);
    await reveal.getByText(/every delivery carries a signature by the old and by this secret/).waitFor();
    await reveal.getByRole('button', { name: 'Done' }).click();
    await reveal.waitFor({ state: 'hidden' });
    await panel().getByText(/^new and old secret until/).waitFor();

    await panel().getByRole('button', { name: 'Send test event' }).click();
    const received = await receiver.waitFor(4);
    const latest = received[3]!;
    expect([verifiesWith(firstSecret, latest), verifiesWith(secondSecret, latest)]).toEqual([true, true]);
    await deliveryRows().nth(2).waitFor();
    await deliveryRows().first().locator('[data-status="delivered"]').waitFor();
    await screenshot(page, 'webhooks');
  });

  it('edits the description and disables the endpoint: no more deliveries, no test event, no re-send', async () => {
    await panel().getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit webhook' });
    expect(await dialog.getByLabel(/^URL/).inputValue()).toBe(receiver.url);
    await dialog.getByLabel('Description').fill('Orders service, staging');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await panel().getByText('Orders service, staging').waitFor();

    await panel().getByRole('button', { name: 'Disable' }).click();
    const confirm = page.getByRole('dialog', { name: 'Disable this webhook?' });
    await confirm.getByText(/its pending ones are cancelled/).waitFor();
    await confirm.getByRole('button', { name: 'Disable' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await panel().getByText('disabled', { exact: true }).waitFor();
    expect(await panel().getByRole('button', { name: 'Send test event' }).isDisabled()).toBe(true);
    expect(await panel().getByRole('button', { name: /^Re-send/ }).count()).toBe(0);
    await panel().getByRole('button', { name: 'Enable' }).waitFor();

    const before = receiver.received.length;
    const { token } = await issueToken(tenant.owner);
    expect((await tenant.owner.post(`/v1/tokens/${token.id}/revoke`, { reason: 'while the webhook is disabled' })).status).toBe(200);
    await sleep(1000);
    expect(receiver.received).toHaveLength(before);
    await page.reload();
    await deliveryRows().first().waitFor();
    expect(await deliveryRows().count()).toBe(3);
  });

  it('lets an auditor read webhooks and their deliveries and change nothing, and shows a viewer no Webhooks page', async () => {
    const auditor = await addUser(tenant, 'auditor');
    const viewer = await addUser(tenant, 'viewer');

    await logOut();
    await logIn(auditor.email);
    await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
    await panel().getByRole('heading', { name: receiver.url }).waitFor();
    await deliveryRows().first().waitFor();
    expect(await page.getByRole('button', { name: 'New webhook' }).count()).toBe(0);
    for (const action of ['Send test event', 'Edit', 'Rotate secret', 'Enable', 'Delete']) {
      expect(await panel().getByRole('button', { name: action }).count()).toBe(0);
    }
    expect(await panel().getByRole('button', { name: /^Re-send/ }).count()).toBe(0);

    await logOut();
    await logIn(viewer.email);
    await page.getByRole('link', { name: 'Tokens', exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'Webhooks', exact: true }).count()).toBe(0);
  });
});
