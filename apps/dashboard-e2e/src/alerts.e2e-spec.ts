import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  addUser,
  ApiClient,
  issueToken,
  PASSWORD,
  pollUntil,
  serviceKey,
  signupTenant,
  startWorker,
  verifyToken,
  type RunningProcess,
  type TestTenant,
} from '@custos/testing';
import type { Page } from 'playwright-core';
import { bodyRows, factIn, launchBrowser, logIn, logOut, screenshot, type Browser } from './support/browser';

interface AlertBody {
  id: string;
  rule: string;
  status: string;
  tokenId: string | null;
  acknowledged: { by: string | null; comment: string | null } | null;
  resolved: { by: string | null; comment: string | null } | null;
}

const LEAK_URL = 'https://github.com/acme/orders/blob/main/.env';

// @runsAlone: it starts a worker on the run's database, whose sweeps act on every tenant in it (npm test runs it after the rest, by itself).
/**
 * Alerts in a real browser, against the test run's api and a worker of this file's own (the evaluator
 * reads the database's alert signals whatever the queues, so it raises this tenant's alerts): a token
 * reported as leaked (a critical `leaked` alert, raised by the report itself, the token revoked) and a
 * suspended token presented to verify (a high `dead_token_used` alert from the worker). The overview
 * counts them, the inbox lists and filters them (in the URL), an alert's page shows its details,
 * remediation and evidence; the owner acknowledges, revokes the token from there and resolves, each
 * shown; an auditor reads it with no action; and an alert rule changed in Settings is saved and read back.
 */
describe('alerts in the browser', () => {
  const suffix = randomUUID().slice(0, 6);
  const names = { leaked: `e2e leaked ${suffix}`, parked: `e2e parked ${suffix}` };
  const ids = { leaked: '', parked: '' };
  let tenant: TestTenant;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  let worker: RunningProcess;
  let leakedAlert: AlertBody;
  let deadAlert: AlertBody;

  const alertsOf = async (query: string) => (await tenant.owner.get<{ items: AlertBody[] }>(`/v1/alerts?${query}`)).body.items;
  const inboxRows = async () => bodyRows(page.getByRole('table', { name: 'Alerts' }));
  const openAlerts = () => page.getByRole('region', { name: 'Open alerts' });

  beforeAll(async () => {
    const api = ApiClient.fromEnv();
    baseUrl = api.baseUrl;
    [worker, tenant] = await Promise.all([
      startWorker({ CUSTOS_QUEUE_PREFIX: `{custos-alui-${suffix}}`, CUSTOS_ALERT_INTERVAL_MS: '100' }),
      signupTenant(api, 'Alerts E2E'),
    ]);
    const verifier = (await serviceKey(tenant, ['custos:tokens:verify'])).client;
    const leaked = await issueToken(tenant.owner, { name: names.leaked });
    const parked = await issueToken(tenant.owner, { name: names.parked });
    [ids.leaked, ids.parked] = [leaked.token.id, parked.token.id];

    // Anyone may report a leak, without credentials: the report raises the alert and revokes the token at once.
    const report = await api.anonymous().post('/v1/leaks', { token: leaked.secret, url: LEAK_URL, source: 'e2e' });
    expect(report.status).toBe(202);
    leakedAlert = (await alertsOf(`rule=leaked&tokenId=${ids.leaked}`))[0]!;
    expect(leakedAlert).toMatchObject({ rule: 'leaked', status: 'open' });

    // The test api speaks plain http, so each use would also raise plaintext_transport (for the token and for
    // the verifying key): switched off, the inbox holds just the two alerts under test.
    const { updatedAt: _updatedAt, ...policy } = (await tenant.owner.get<Record<string, unknown>>('/v1/policy')).body;
    expect((await tenant.owner.put('/v1/policy', { ...policy, alerts: { rules: { plaintext_transport: { enabled: false } } } })).status).toBe(200);

    // A suspended token presented is a dead token used: the worker raises it from the api's usage batch.
    expect((await tenant.owner.post(`/v1/tokens/${ids.parked}/suspend`, { reason: 'parked for the e2e' })).status).toBe(200);
    expect((await verifyToken(verifier, parked.secret, { context: { ip: '203.0.113.9', resource: 'orders/list' } })).code).toBe('SUSPENDED');
    deadAlert = (await pollUntil(() => alertsOf(`rule=dead_token_used&tokenId=${ids.parked}`), (items) => items.length > 0, { timeoutMs: 10_000 }))[0]!;

    browser = await launchBrowser();
    page = await browser.context.newPage();
    await logIn(page, baseUrl, tenant.email, PASSWORD);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
  });

  it('counts the open alerts by severity on the overview, each count leading to the inbox', async () => {
    await openAlerts().waitFor();
    await page.getByTestId('open-alerts-critical').filter({ hasText: /^1$/ }).waitFor();
    expect(await page.getByTestId('open-alerts-high').textContent()).toBe('1');
    expect(await page.getByTestId('open-alerts-medium').textContent()).toBe('0');
    await page.getByTestId('open-alerts-critical').click();
    await page.waitForURL(/\/alerts\?severity=critical$/);
    await page.getByRole('heading', { name: 'Alerts', exact: true }).waitFor();
    await page.getByRole('table', { name: 'Alerts' }).getByRole('link', { name: names.leaked }).waitFor();
    expect((await inboxRows()).map((cells) => cells.slice(0, 3))).toEqual([['critical', 'Leaked token', names.leaked]]);
  });

  it('lists the open alerts newest first, and its filters narrow the list and live in the URL', async () => {
    await page.getByRole('link', { name: 'Alerts', exact: true }).click();
    await page.waitForURL(/\/alerts$/);
    // Each token by name once its name is read (its id until then).
    await page.getByRole('table', { name: 'Alerts' }).getByRole('link', { name: names.parked }).waitFor();
    await page.getByRole('table', { name: 'Alerts' }).getByRole('link', { name: names.leaked }).waitFor();
    const rows = await inboxRows();
    expect(rows.map((cells) => [cells[0], cells[1], cells[2], cells[3], cells[5], cells[6]])).toEqual([
      ['high', 'Dead token used', names.parked, '1', 'open', '—'],
      ['critical', 'Leaked token', names.leaked, '1', 'open', 'revoked'],
    ]);
    await screenshot(page, 'alerts');

    await page.getByRole('combobox', { name: 'Rule' }).click();
    await page.getByRole('option', { name: 'Dead token used' }).click();
    await page.waitForURL(/[?&]rule=dead_token_used/);
    await page.locator(`tr[data-alert-id="${leakedAlert.id}"]`).waitFor({ state: 'detached' });
    expect((await inboxRows()).map((cells) => cells[1])).toEqual(['Dead token used']);

    await page.getByRole('combobox', { name: 'Severity' }).click();
    await page.getByRole('option', { name: 'critical' }).click();
    await page.getByText('No open critical alerts of the rule Dead token used').waitFor();
    expect(new URL(page.url()).searchParams.toString()).toBe('rule=dead_token_used&severity=critical');

    // A shared link opens the same view.
    await page.reload();
    await page.getByText('No open critical alerts of the rule Dead token used').waitFor();
    await page.getByText('Resolved', { exact: true }).click();
    await page.getByText('No resolved critical alerts of the rule Dead token used').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL(/\/alerts$/);
    await page.locator(`tr[data-alert-id="${deadAlert.id}"]`).waitFor();
    expect(await page.locator('tbody tr[data-alert-id]').count()).toBe(2);
  });

  it("shows a leak report's details and the revocation it caused, with no action on the revoked token", async () => {
    await page.getByRole('link', { name: 'Leaked token' }).click();
    await page.waitForURL(new RegExp(`/alerts/${leakedAlert.id}$`));
    await page.getByRole('heading', { name: 'Leaked token', level: 1 }).waitFor();
    const details = page.getByRole('region', { name: 'Details' });
    expect(await factIn(details, 'Reported through').textContent()).toBe('A public report (POST /v1/leaks)');
    expect(await factIn(details, 'Where it was found').textContent()).toBe(LEAK_URL);
    expect(await factIn(details, 'Source').textContent()).toBe('e2e');
    expect(await factIn(page.getByRole('region', { name: 'Remediation' }), 'Action').textContent()).toBe('Token revoked');
    await page.getByRole('region', { name: 'Evidence' }).getByText(/^A leak report is not a use/).waitFor();
    await page.getByRole('button', { name: 'Acknowledge' }).waitFor();
    expect(await page.getByRole('button', { name: /token$/ }).count()).toBe(0);

    // The token's breach impact, signed: the file and its detached JWS, saved side by side.
    await page.getByRole('button', { name: 'Breach impact' }).click();
    const [report, signature] = await Promise.all([
      page.waitForEvent('download'),
      page.waitForEvent('download', (d) => d.suggestedFilename().endsWith('.jws')),
      page.getByRole('menuitem', { name: 'JSON' }).click(),
    ]);
    expect(report.suggestedFilename()).toMatch(new RegExp(`^custos-impact-${ids.leaked}-\\d{8}T\\d{6}\\.json$`));
    const impact = JSON.parse(await readFile(await report.path(), 'utf8')) as { type: string; token: { id: string }; alerts: { rule: string }[] };
    expect(impact).toMatchObject({ type: 'custos.token-impact.v1', token: { id: ids.leaked } });
    expect(impact.alerts.map((a) => a.rule)).toContain('leaked');
    expect((await readFile(await signature.path(), 'utf8')).trim()).toMatch(/^[\w-]+\.\.[\w-]+$/);
  });

  it('shows the evidence of a dead token used; the owner acknowledges, revokes the token and resolves, each shown', async () => {
    await page.goto(`${baseUrl}/alerts/${deadAlert.id}`);
    await page.getByRole('heading', { name: 'Dead token used', level: 1 }).waitFor();
    const happened = page.getByRole('region', { name: 'What happened' });
    await happened.getByRole('link', { name: names.parked }).waitFor();
    expect(await factIn(happened, 'About').textContent()).toBe(names.parked);
    expect(await factIn(page.getByRole('region', { name: 'Details' }), 'Token status when presented').textContent()).toBe('suspended');
    const evidence = await bodyRows(page.getByRole('table', { name: 'Evidence' }));
    // The network, never the address; and the test api's plain http.
    expect(evidence.map((cells) => [cells[1], cells[2], cells[4], cells[5]])).toEqual([['SUSPENDED', '203.0.113.0/24', 'orders/list', 'http']]);
    // The token is suspended: it can be revoked, not suspended again.
    await page.getByRole('button', { name: 'Revoke token' }).waitFor();
    expect(await page.getByRole('button', { name: 'Suspend token' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Acknowledge' }).click();
    const acknowledge = page.getByRole('dialog', { name: 'Acknowledge this alert?' });
    await acknowledge.getByLabel('Comment (optional)').fill('Looking into it with the orders team');
    await acknowledge.getByRole('button', { name: 'Acknowledge' }).click();
    await acknowledge.waitFor({ state: 'hidden' });
    await page.locator('[data-status="acknowledged"]').first().waitFor();
    const acknowledged = page.getByRole('group', { name: 'Acknowledged' });
    expect(await factIn(acknowledged, 'By').textContent()).toBe(tenant.email);
    expect(await factIn(acknowledged, 'Comment').textContent()).toBe('Looking into it with the orders team');
    expect(await page.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    await screenshot(page, 'alert-detail');

    await page.getByRole('button', { name: 'Revoke token' }).click();
    const revoke = page.getByRole('dialog', { name: `Revoke "${names.parked}"?` });
    await revoke.getByLabel(/^Reason/).fill('presented while parked');
    await revoke.getByRole('button', { name: 'Revoke' }).click();
    await revoke.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Revoke token' }).waitFor({ state: 'detached' });
    expect((await tenant.owner.get<{ status: string; revokedReason: string }>(`/v1/tokens/${ids.parked}`)).body).toMatchObject({
      status: 'revoked',
      revokedReason: 'presented while parked',
    });

    await page.getByRole('button', { name: 'Resolve' }).click();
    const resolve = page.getByRole('dialog', { name: 'Resolve this alert?' });
    await resolve.getByLabel('Comment (optional)').fill('Token revoked; the client uses its successor');
    await resolve.getByRole('button', { name: 'Resolve' }).click();
    await resolve.waitFor({ state: 'hidden' });
    await page.locator('[data-status="resolved"]').first().waitFor();
    expect(await factIn(page.getByRole('group', { name: 'Resolved' }), 'Comment').textContent()).toBe('Token revoked; the client uses its successor');
    expect(await page.getByRole('button', { name: 'Resolve' }).count()).toBe(0);

    const stored = (await tenant.owner.get<AlertBody>(`/v1/alerts/${deadAlert.id}`)).body;
    expect(stored).toMatchObject({
      status: 'resolved',
      acknowledged: { by: tenant.ownerId, comment: 'Looking into it with the orders team' },
      resolved: { by: tenant.ownerId, comment: 'Token revoked; the client uses its successor' },
    });

    // The inbox and the overview follow: only the leak is open now.
    await page.getByRole('link', { name: '← Alerts' }).click();
    await page.locator(`tr[data-alert-id="${leakedAlert.id}"]`).waitFor();
    expect(await page.locator(`tr[data-alert-id="${deadAlert.id}"]`).count()).toBe(0);
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await page.getByTestId('open-alerts-high').filter({ hasText: /^0$/ }).waitFor();
    expect(await page.getByTestId('open-alerts-critical').textContent()).toBe('1');
  });

  it('saves an alert rule changed in Settings and reads it back after a reload', async () => {
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    const rules = page.getByRole('region', { name: 'Alert rules' });
    const networks = rules.getByRole('group', { name: 'Many networks' });
    await networks.getByRole('textbox', { name: 'Threshold' }).fill('3');
    await networks.getByRole('combobox', { name: 'Remediation' }).click();
    await page.getByRole('option', { name: 'Suspend the token' }).click();
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('Policy saved').waitFor();

    const policy = await tenant.owner.get<{ alerts: { rules: Record<string, unknown>; remediateOwnerServiceKeys: boolean } }>('/v1/policy');
    expect(policy.body.alerts.rules.many_networks).toEqual({ enabled: true, threshold: 3, windowSeconds: 3600, severity: 'high', remediation: 'suspend' });
    expect(policy.body.alerts.rules.leaked).toEqual({ enabled: true, severity: 'critical', remediation: 'revoke' });
    expect(policy.body.alerts.remediateOwnerServiceKeys).toBe(false);

    await page.reload();
    const reloaded = page.getByRole('region', { name: 'Alert rules' }).getByRole('group', { name: 'Many networks' });
    expect(await reloaded.getByRole('textbox', { name: 'Threshold' }).inputValue()).toBe('3');
    expect(await reloaded.getByRole('combobox', { name: 'Remediation' }).inputValue()).toBe('Suspend the token');
    await screenshot(page, 'settings-alerts', page.getByRole('region', { name: 'Alert rules' }));
  });

  it('lets an auditor read the alerts and act on none', async () => {
    const auditor = await addUser(tenant, 'auditor');
    await logOut(page, baseUrl);
    await logIn(page, baseUrl, auditor.email, PASSWORD);
    await page.getByRole('link', { name: 'Alerts', exact: true }).click();
    await page.getByRole('link', { name: 'Leaked token' }).click();
    await page.getByRole('heading', { name: 'Leaked token', level: 1 }).waitFor();
    await page.getByRole('region', { name: 'Remediation' }).waitFor();
    for (const action of ['Acknowledge', 'Resolve', 'Suspend token', 'Revoke token']) {
      expect(await page.getByRole('button', { name: action }).count()).toBe(0);
    }
  });
});
