import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPORT_JWS_TYPE } from '@custos/contracts';
import { verifyDetachedJws } from '@custos/crypto';
import { Webhook } from 'standardwebhooks';
import {
  ApiClient,
  createConsent,
  createWebhook,
  issueToken,
  pollUntil,
  runCli,
  serviceKey,
  signupTenant,
  startApi,
  startWebhookReceiver,
  startWorker,
  tenantJwks,
  verifyAuditChain,
  type RunningApi,
  type RunningProcess,
  type TestTenant,
  type WebhookReceiver,
} from '@custos/testing';

interface AlertBody {
  id: string;
  rule: string;
  status: string;
  severity: string;
  tokenId: string | null;
  count: number;
  evidence: { outcome: string; ipPrefix: string | null }[];
  details: Record<string, unknown>;
  remediation: { action: string; skipped?: string } | null;
  acknowledged: { by: string | null; comment: string | null } | null;
  resolved: { by: string | null; comment: string | null } | null;
}

/** A key server as GitHub's meta/public_keys/secret_scanning answers, serving one P-256 public key. */
async function startKeyServer(keyId: string, publicKey: KeyObject): Promise<{ url: string; server: Server }> {
  const body = JSON.stringify({ public_keys: [{ key_identifier: keyId, key: publicKey.export({ type: 'spki', format: 'pem' }), is_current: true }] });
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/meta/public_keys/secret_scanning`, server };
}

// @runsAlone: it starts a worker on the run's database, whose sweeps act on every tenant in it (npm test runs it after the rest, by itself).
/**
 * Alerts and leak intake over HTTP, black-box, with a real worker evaluating the rules: a dead token
 * presented, key sharing remediated by suspension, GitHub's signed leak reports and anyone's reports
 * revoking tokens, the alert webhook, and the inbox's acknowledge and resolve.
 */
describe('alerts and leaked tokens', () => {
  const prefix = `{custos-alerts-${randomUUID().slice(0, 8)}}`;
  const githubKeyId = 'github-test-key-1';
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  let keys: { url: string; server: Server };
  let server: RunningApi;
  let worker: RunningProcess;
  let api: ApiClient;
  let tenant: TestTenant;
  let verifier: ApiClient;
  let receiver: WebhookReceiver;
  let webhookSecret: string;

  beforeAll(async () => {
    keys = await startKeyServer(githubKeyId, publicKey);
    server = await startApi({ CUSTOS_QUEUE_PREFIX: prefix, CUSTOS_GITHUB_SCANNING_KEYS_URL: keys.url });
    worker = await startWorker({ CUSTOS_QUEUE_PREFIX: prefix, CUSTOS_ALERT_INTERVAL_MS: '100', CUSTOS_AUDIT_SEAL_INTERVAL_MS: '200' });
    api = new ApiClient(server.url);
    tenant = await signupTenant(api, 'Alerts');
    verifier = (await serviceKey(tenant, ['custos:tokens:verify'])).client;
    receiver = await startWebhookReceiver({ name: 'alerts' });
    webhookSecret = (await createWebhook(tenant.owner, receiver.url, ['alert.raised', 'alert.resolved'])).secret;
  }, 60_000);

  afterAll(async () => {
    await worker?.stop();
    await server?.stop();
    await receiver?.close();
    await new Promise((resolve) => keys?.server.close(resolve));
  });

  const verify = async (secret: string, ip = '203.0.113.9') => (await verifier.post('/v1/verify', { token: secret, context: { ip } })).body as { code: string };
  const alertsOf = async (query: string) => ((await tenant.owner.get(`/v1/alerts?${query}`)).body as { items: AlertBody[] }).items;
  const githubReport = (body: string, signWith: KeyObject = privateKey) =>
    fetch(`${server.url}/v1/secret-scanning/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'github-public-key-identifier': githubKeyId,
        'github-public-key-signature': sign('sha256', Buffer.from(body), { key: signWith, dsaEncoding: 'der' }).toString('base64'),
      },
      body,
    });

  it('raises dead_token_used within 5 s when a revoked token is presented, and announces it by signed webhook', async () => {
    const issued = await issueToken(tenant.owner, { scopes: ['orders:read'] });
    expect((await tenant.owner.post(`/v1/tokens/${issued.token.id}/revoke`, { reason: 'rotated out' })).status).toBe(200);
    const presented = Date.now();
    expect(await verify(issued.secret)).toMatchObject({ code: 'REVOKED' });

    const [alert] = await pollUntil(() => alertsOf(`rule=dead_token_used&tokenId=${issued.token.id}`), (items) => items.length > 0, { timeoutMs: 5_000 });
    expect(Date.now() - presented).toBeLessThan(5_000);
    expect(alert).toMatchObject({ rule: 'dead_token_used', status: 'open', severity: 'high', tokenId: issued.token.id, count: 1, remediation: null });
    expect(alert!.evidence).toEqual([expect.objectContaining({ outcome: 'REVOKED', ipPrefix: '203.0.113.0/24' })]);

    const webhook = new Webhook(webhookSecret);
    const raised = await pollUntil(
      () => Promise.resolve(receiver.received.map((r) => webhook.verify(r.body, r.headers as Record<string, string>) as { type: string; data: { targetId?: string; rule?: string } })),
      (events) => events.some((e) => e.type === 'alert.raised' && e.data.rule === 'dead_token_used'),
      { timeoutMs: 10_000 },
    );
    expect(raised.find((e) => e.type === 'alert.raised')).toBeDefined();

    // A repeat adds to the open alert instead of raising another.
    expect(await verify(issued.secret)).toMatchObject({ code: 'REVOKED' });
    await pollUntil(() => tenant.owner.get<AlertBody>(`/v1/alerts/${alert!.id}`).then((r) => r.body), (a) => a.count === 2, { timeoutMs: 5_000 });
    expect(await alertsOf(`rule=dead_token_used&tokenId=${issued.token.id}`)).toHaveLength(1);
  });

  it('acknowledges and resolves an alert, each audited, and refuses to resolve it twice', async () => {
    const [alert] = await alertsOf('rule=dead_token_used');
    const acknowledged = await tenant.owner.post(`/v1/alerts/${alert!.id}/acknowledge`, { comment: 'on it' });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toMatchObject({ status: 'acknowledged', acknowledged: { comment: 'on it' } });
    const resolved = await tenant.owner.post(`/v1/alerts/${alert!.id}/resolve`, { comment: 'client fixed' });
    expect(resolved.body).toMatchObject({ status: 'resolved', resolved: { comment: 'client fixed' } });
    expect((await tenant.owner.post(`/v1/alerts/${alert!.id}/resolve`, {})).status).toBe(409);
    const actions = ((await tenant.owner.get(`/v1/audit-events?target=${alert!.id}`)).body as { items: { action: string }[] }).items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['alert.raised', 'alert.acknowledged', 'alert.resolved']));
  });

  it('suspends a token used from 5 networks within 5 s when many_networks says suspend at a threshold of 3', async () => {
    const policy = await tenant.owner.put('/v1/policy', {
      ...((await tenant.owner.get('/v1/policy')).body as Record<string, unknown>),
      updatedAt: undefined,
      alerts: { rules: { many_networks: { threshold: 3, remediation: 'suspend' } } },
    });
    expect(policy.status).toBe(200);
    expect(policy.body).toMatchObject({ alerts: { rules: { many_networks: { enabled: true, threshold: 3, windowSeconds: 3600, remediation: 'suspend' } } } });

    const shared = await issueToken(tenant.owner, { scopes: ['orders:read'] });
    const used = Date.now();
    for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4', '198.51.100.5']) {
      expect(await verify(shared.secret, ip)).toMatchObject({ code: 'VALID' });
    }
    await pollUntil(() => verify(shared.secret), (answer) => answer.code === 'SUSPENDED', { timeoutMs: 5_000 });
    expect(Date.now() - used).toBeLessThan(5_000);
    const [alert] = await alertsOf(`rule=many_networks&tokenId=${shared.token.id}`);
    expect(alert).toMatchObject({ remediation: { action: 'suspend' }, details: { threshold: 3 } });
    expect(((await tenant.owner.get(`/v1/tokens/${shared.token.id}`)).body as { status: string }).status).toBe('suspended');
    // Its webhook says where the breach impact of the remediated token is.
    const webhook = new Webhook(webhookSecret);
    const raised = await pollUntil(
      () => Promise.resolve(receiver.received.map((r) => webhook.verify(r.body, r.headers as Record<string, string>) as { type: string; data: { rule?: string; impact?: string } })),
      (events) => events.some((e) => e.type === 'alert.raised' && e.data.rule === 'many_networks'),
      { timeoutMs: 10_000 },
    );
    expect(raised.find((e) => e.data.rule === 'many_networks')!.data.impact).toBe(`/v1/tokens/${shared.token.id}/impact`);
  });

  it("revokes a token GitHub reports, answers GitHub's feedback format, and refuses a report with a wrong signature", async () => {
    const leaked = await issueToken(tenant.owner, { scopes: ['orders:read'] });
    const other = await issueToken(tenant.owner, { scopes: ['orders:read'] });
    const forged = JSON.stringify([{ token: other.secret, type: 'custos_api_token', url: 'https://github.com/octo/repo/blob/1/.env', source: 'content' }]);
    const { privateKey: wrongKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect((await githubReport(forged, wrongKey)).status).toBe(401);
    expect(await verify(other.secret)).toMatchObject({ code: 'VALID' });

    const body = JSON.stringify([
      { token: leaked.secret, type: 'custos_api_token', url: 'https://github.com/octo/repo/blob/abc/.env', source: 'content' },
      { token: 'not-a-custos-token-at-all', type: 'custos_api_token', url: 'https://github.com/octo/repo/blob/abc/x', source: 'content' },
    ]);
    const response = await githubReport(body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([
      { token_raw: leaked.secret, token_type: 'custos_api_token', label: 'true_positive' },
      { token_raw: 'not-a-custos-token-at-all', token_type: 'custos_api_token', label: 'false_positive' },
    ]);
    expect(await verify(leaked.secret)).toMatchObject({ code: 'REVOKED' });
    const token = (await tenant.owner.get(`/v1/tokens/${leaked.token.id}`)).body as { revokedReason: string };
    expect(token.revokedReason).toContain('leaked: https://github.com/octo/repo/blob/abc/.env');
    const [alert] = await alertsOf(`rule=leaked&tokenId=${leaked.token.id}`);
    expect(alert).toMatchObject({ severity: 'critical', remediation: { action: 'revoke' }, details: { via: 'github', url: 'https://github.com/octo/repo/blob/abc/.env' } });
  });

  it('takes anyone\'s leak report: revokes a real token, and answers 202 for a made-up one too', async () => {
    const consent = await createConsent(tenant.owner);
    const leaked = await issueToken(tenant.owner, { scopes: ['orders:read'], consentId: consent.id, dataCategories: ['personal'] });
    const used = await verifier.post('/v1/verify', { token: leaked.secret, context: { ip: '85.214.132.117', resource: '/orders/7' } });
    expect(used.body).toMatchObject({ code: 'VALID' });
    const anonymous = new ApiClient(server.url);
    const real = await anonymous.post('/v1/leaks', { token: leaked.secret, url: 'https://paste.example/abc', source: 'a reader' });
    const madeUp = await anonymous.post('/v1/leaks', { token: leaked.secret.slice(0, -1) + (leaked.secret.endsWith('a') ? 'b' : 'a') });
    expect([real.status, madeUp.status]).toEqual([202, 202]);
    expect(madeUp.body).toEqual(real.body);
    expect(await verify(leaked.secret)).toMatchObject({ code: 'REVOKED' });
    expect(await alertsOf(`rule=leaked&tokenId=${leaked.token.id}`)).toEqual([expect.objectContaining({ details: expect.objectContaining({ via: 'public' }) })]);

    // The breach impact: what it reached until its revocation (its use is written within a flush), and whose data.
    type Impact = {
      exposure: { endedBy: string };
      didReach: { uses: number; resources: { value: string; count: number }[]; countries: { value: string }[]; usesAfterLeakReport: number | null };
      dataSubjects: { subjectRef: string }[];
      clock: { knownAt: string; notifyBy: string };
    };
    const reader = (await serviceKey(tenant, ['custos:reports:read'])).issued.secret;
    const impactOf = async (query: string) => {
      const res = await fetch(`${server.url}/v1/tokens/${leaked.token.id}/impact?${query}`, { headers: { authorization: `Bearer ${reader}` } });
      const body = await res.text();
      return { res, body, report: JSON.parse(body) as Impact };
    };
    const impact = await pollUntil(() => impactOf(''), ({ report }) => report.didReach?.uses >= 1, { timeoutMs: 5_000 });
    expect(impact.res.status).toBe(200);
    expect(impact.report.exposure.endedBy).toBe('revocation');
    expect(impact.report.didReach).toMatchObject({ uses: 1, resources: [{ value: '/orders/7', count: 1 }], countries: [{ value: 'DE', count: 1 }], usesAfterLeakReport: 0 });
    expect(impact.report.dataSubjects).toEqual([expect.objectContaining({ subjectRef: consent.subjectRef })]);
    expect(Date.parse(impact.report.clock.notifyBy) - Date.parse(impact.report.clock.knownAt)).toBe(72 * 3_600_000);
    const sha256 = createHash('sha256').update(impact.body).digest('hex');
    expect(impact.res.headers.get('x-custos-report-sha256')).toBe(sha256);
    const check = await verifyDetachedJws(impact.res.headers.get('x-custos-signature')!, sha256, await tenantJwks(tenant.owner), REPORT_JWS_TYPE);
    expect(check.valid).toBe(true);

    // Asked up to now, the window holds the REVOKED verify made after the report.
    const untilNow = await pollUntil(
      () => impactOf(`to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`),
      ({ report }) => report.didReach.usesAfterLeakReport === 1,
      { timeoutMs: 5_000 },
    );
    expect(untilNow.report.exposure.endedBy).toBe('request');

    // The same report as a PDF, signed over its bytes.
    const pdf = await fetch(`${server.url}/v1/tokens/${leaked.token.id}/impact?format=pdf`, { headers: { authorization: `Bearer ${reader}` } });
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect([pdf.status, pdf.headers.get('content-type'), bytes.subarray(0, 5).toString('latin1')]).toEqual([200, 'application/pdf', '%PDF-']);
    const pdfSha256 = createHash('sha256').update(bytes).digest('hex');
    expect((await verifyDetachedJws(pdf.headers.get('x-custos-signature')!, pdfSha256, await tenantJwks(tenant.owner), REPORT_JWS_TYPE)).valid).toBe(true);

    // An auditor's offline check, with the built CLI, as for any compliance report.
    const files = await mkdtemp(join(tmpdir(), 'custos-impact-'));
    try {
      await writeFile(join(files, 'impact.pdf'), bytes);
      await writeFile(join(files, 'impact.pdf.jws'), pdf.headers.get('x-custos-signature')!);
      await writeFile(join(files, 'jwks.json'), JSON.stringify(await tenantJwks(tenant.owner)));
      const cli = await runCli(['report', 'verify', join(files, 'impact.pdf'), '--signature', join(files, 'impact.pdf.jws'), '--jwks', join(files, 'jwks.json')]);
      expect({ code: cli.code, out: cli.stdout.trim() }).toEqual({ code: 0, out: `OK sha256 ${pdfSha256}, signed with kid ${pdf.headers.get('x-custos-signing-kid')}` });
    } finally {
      await rm(files, { recursive: true, force: true });
    }
  });

  it('keeps the audit chain valid through alerts, remediation and leaks', async () => {
    const verdict = await pollUntil(() => verifyAuditChain(tenant.owner), (v) => v.valid, { timeoutMs: 10_000 });
    expect(verdict.checkedEvents).toBeGreaterThan(10);
  });
});
