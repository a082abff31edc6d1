import { randomBytes } from 'node:crypto';
import {
  ApiClient,
  asOwner,
  auditEvents,
  createWebhook,
  exportAuditBundle,
  issueToken,
  pollUntil,
  runCli,
  serviceKey,
  signCheckpoint,
  signupTenant,
  startApi,
  startWebhookReceiver,
  startWorker,
  tempFile,
  tenantFootprint,
  type ReceivedWebhook,
  type RunningProcess,
  type TestTenant,
  type WebhookReceiver,
} from '@custos/testing';
import { Webhook } from 'standardwebhooks';

interface DeliveryBody {
  id: string;
  endpointId: string;
  eventType: string;
  messageId: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  attemptLog: Array<{ at: string; status?: number; error?: string; durationMs: number }>;
  deliveredAt: string | null;
  resentFromId: string | null;
}

interface Payload {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

const MAX_ATTEMPTS = 3;

/** Whether the Standard Webhooks reference library accepts the received webhook with this secret. */
function verifiesWith(secret: string, received: ReceivedWebhook): boolean {
  try {
    verified(secret, received);
    return true;
  } catch {
    return false;
  }
}

/** Verifies a received webhook with the Standard Webhooks reference library; throws when it does not verify. */
function verified(secret: string, received: ReceivedWebhook): Payload {
  const headers = {
    'webhook-id': String(received.headers['webhook-id']),
    'webhook-timestamp': String(received.headers['webhook-timestamp']),
    'webhook-signature': String(received.headers['webhook-signature']),
  };
  return new Webhook(secret).verify(received.body, headers) as Payload;
}

async function deliveriesOf(client: ApiClient, webhookId: string): Promise<DeliveryBody[]> {
  const res = await client.get<{ items: DeliveryBody[] }>(`/v1/webhooks/${webhookId}/deliveries`);
  if (res.status !== 200) throw new Error(`deliveries: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.items;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// @runsAlone: it starts a worker on the run's database, whose sweeps act on every tenant in it (npm test runs it after the rest, by itself).
/**
 * Webhooks end to end: the shared api takes the endpoints and writes deliveries with the events; a real
 * worker process signs and sends them to real HTTP receivers on 127.0.0.1, with retries; the signatures
 * are checked with the standardwebhooks package, which no one here wrote.
 */
describe('webhooks', () => {
  const api = ApiClient.fromEnv();
  const receivers: WebhookReceiver[] = [];
  let worker: RunningProcess;
  let tenant: TestTenant;

  const receiver = async (options: Parameters<typeof startWebhookReceiver>[0] = {}) => {
    const started = await startWebhookReceiver(options);
    receivers.push(started);
    return started;
  };

  beforeAll(async () => {
    [worker, tenant] = await Promise.all([
      startWorker({
        CUSTOS_QUEUE_PREFIX: `{custos-test-${randomBytes(4).toString('hex')}}`,
        CUSTOS_WEBHOOK_INTERVAL_MS: '200',
        CUSTOS_WEBHOOK_RETRY_BASE_MS: '200',
        CUSTOS_WEBHOOK_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
        CUSTOS_WEBHOOK_TIMEOUT_MS: '5000',
      }),
      signupTenant(api, 'Webhooks'),
    ]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await worker?.stop();
  });

  it('delivers a revocation to the endpoint, signed so that the standardwebhooks verifier accepts it', async () => {
    const hook = await receiver({ name: 'revocations' });
    const { webhook, secret } = await createWebhook(tenant.owner, hook.url, ['token.revoked']);
    const { token } = await issueToken(tenant.owner);
    expect((await tenant.owner.post(`/v1/tokens/${token.id}/revoke`, { reason: 'leaked in a log' })).status).toBe(200);

    const [received] = await hook.waitFor(1);
    const payload = verified(secret, received!);
    expect(payload).toEqual({
      type: 'token.revoked',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      data: {
        tokenId: token.id,
        action: 'token.revoked',
        actor: { type: 'user', id: tenant.ownerId },
        reason: 'leaked in a log',
        from: 'active',
      },
    });
    expect(received!.headers['webhook-id']).toMatch(/^msg_/);
    expect(received!.headers['content-type']).toBe('application/json');
    // The client ip is in the audit trail, never in a payload.
    expect(received!.body).not.toMatch(/"ip(Network)?"/);

    const [delivery] = await pollUntil(() => deliveriesOf(tenant.owner, webhook.id), (d) => d[0]?.status === 'delivered');
    expect(delivery).toMatchObject({
      endpointId: webhook.id,
      eventType: 'token.revoked',
      messageId: received!.headers['webhook-id'],
      attempts: 1,
      lastStatus: 204,
      attemptLog: [{ status: 204, durationMs: expect.any(Number) }],
      deliveredAt: expect.any(String),
    });
    await sleep(600);
    expect(hook.received).toHaveLength(1);
  });

  it('announces each signed audit checkpoint with its JWS, which `custos audit verify --checkpoints` takes as a copy kept outside', async () => {
    const hook = await receiver({ name: 'checkpoints' });
    const { secret } = await createWebhook(tenant.owner, hook.url, ['audit.checkpoint_signed']);
    await issueToken(tenant.owner);
    const checkpoint = await signCheckpoint(tenant.owner);
    const [received] = await hook.waitFor(1);
    expect(verified(secret, received!)).toEqual({
      type: 'audit.checkpoint_signed',
      timestamp: expect.any(String),
      data: {
        tokenId: null,
        action: 'audit.checkpoint_signed',
        actor: { type: 'user', id: tenant.ownerId },
        checkpointId: checkpoint.id,
        seq: checkpoint.seq,
        hash: checkpoint.hash,
        kid: checkpoint.kid,
        at: checkpoint.at,
        prev: checkpoint.prev,
        jws: checkpoint.jws,
      },
    });
    const bundle = await exportAuditBundle(tenant.owner);
    const result = await runCli(['audit', 'verify', tempFile('bundle.jsonl', bundle.text), '--checkpoints', tempFile('kept.json', received!.body)]);
    expect(result).toMatchObject({ code: 0, stdout: expect.stringMatching(/^OK \d+ events, \d+ checkpoints \(and 1 from --checkpoints\)\n$/) });
  });

  it('retries a failing receiver with backoff, under one webhook-id, until it takes the event', async () => {
    const hook = await receiver({ name: 'flaky', answer: (n) => (n <= 2 ? 500 : 200) });
    const { webhook, secret } = await createWebhook(tenant.owner, hook.url, ['token.suspended']);
    const { token } = await issueToken(tenant.owner);
    expect((await tenant.owner.post(`/v1/tokens/${token.id}/suspend`, { reason: 'investigating' })).status).toBe(200);

    const received = await hook.waitFor(3, 20_000);
    expect(received.map((r) => r.answered)).toEqual([500, 500, 200]);
    expect(new Set(received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    for (const r of received) expect(verified(secret, r)).toMatchObject({ type: 'token.suspended', data: { tokenId: token.id } });

    const [delivery] = await pollUntil(() => deliveriesOf(tenant.owner, webhook.id), (d) => d[0]?.status === 'delivered', {
      timeoutMs: 10_000,
    });
    expect(delivery).toMatchObject({ attempts: 3, lastStatus: 200, lastError: null });
    expect(delivery!.attemptLog.map((a) => a.status)).toEqual([500, 500, 200]);
    const times = delivery!.attemptLog.map((a) => Date.parse(a.at));
    // Backoff: 200 ms doubled per failure, jittered to its upper half, so at least 100 ms and 200 ms.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(100);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(200);
  });

  it('marks a delivery failed once the attempts are used up, and stops', async () => {
    const hook = await receiver({ name: 'down', answer: () => 503 });
    const { webhook } = await createWebhook(tenant.owner, hook.url, ['token.revoked']);
    const { token } = await issueToken(tenant.owner);
    await tenant.owner.post(`/v1/tokens/${token.id}/revoke`, { reason: 'rotate everything' });

    const [delivery] = await pollUntil(() => deliveriesOf(tenant.owner, webhook.id), (d) => d[0]?.status === 'failed', {
      timeoutMs: 20_000,
    });
    expect(delivery).toMatchObject({ attempts: MAX_ATTEMPTS, lastStatus: 503, deliveredAt: null });
    expect(delivery!.attemptLog.map((a) => a.status)).toEqual(Array(MAX_ATTEMPTS).fill(503));
    await sleep(1000);
    expect(hook.received).toHaveLength(MAX_ATTEMPTS);
  });

  it("never sends one tenant's events to another tenant's endpoints", async () => {
    const other = await signupTenant(api, 'Webhooks other');
    const [mine, theirs] = [await receiver({ name: 'tenant-a' }), await receiver({ name: 'tenant-b' })];
    const { webhook: myWebhook } = await createWebhook(tenant.owner, mine.url, ['token.revoked', 'token.suspended']);
    const { webhook: theirWebhook, secret } = await createWebhook(other.owner, theirs.url, ['token.revoked']);
    const { token } = await issueToken(other.owner);
    await other.owner.post(`/v1/tokens/${token.id}/revoke`, { reason: 'b only' });

    const [received] = await theirs.waitFor(1);
    expect(verified(secret, received!).data).toMatchObject({ tokenId: token.id });
    await sleep(800);
    expect(mine.received).toHaveLength(0);
    expect(await deliveriesOf(tenant.owner, myWebhook.id)).toEqual([]);
    expect((await tenant.owner.get(`/v1/webhooks/${theirWebhook.id}/deliveries`)).status).toBe(404);
  });

  it('sends nothing to a deleted endpoint and cancels what it still had pending', async () => {
    const slow = await receiver({ name: 'slow-then-deleted', answer: () => 500, delayMs: 1500 });
    const control = await receiver({ name: 'control' });
    const { webhook: doomed } = await createWebhook(tenant.owner, slow.url, ['token.revoked']);
    await createWebhook(tenant.owner, control.url, ['token.revoked']);
    const first = await issueToken(tenant.owner);
    await tenant.owner.post(`/v1/tokens/${first.token.id}/revoke`, { reason: 'first' });

    // Its first attempt is in flight (the receiver takes 1.5 s) when the endpoint is deleted.
    await slow.waitFor(1);
    expect((await tenant.owner.delete(`/v1/webhooks/${doomed.id}`)).status).toBe(204);
    const [cancelled] = await pollUntil(
      () => deliveriesOf(tenant.owner, doomed.id),
      (d) => d[0]?.status === 'cancelled' && d[0].attemptLog.length === 1,
      { timeoutMs: 10_000 },
    );
    expect(cancelled).toMatchObject({ attempts: 1, attemptLog: [{ status: 500 }] });

    const second = await issueToken(tenant.owner);
    await tenant.owner.post(`/v1/tokens/${second.token.id}/revoke`, { reason: 'second' });
    await control.waitFor(2);
    await sleep(800);
    expect(slow.received).toHaveLength(1);
    expect(await deliveriesOf(tenant.owner, doomed.id)).toHaveLength(1);
    expect((await tenant.owner.get(`/v1/webhooks/${doomed.id}`)).body).toMatchObject({ deletedAt: expect.any(String) });
    expect((await tenant.owner.get<{ items: Array<{ id: string }> }>('/v1/webhooks')).body.items.map((w) => w.id)).not.toContain(
      doomed.id,
    );
    expect((await tenant.owner.delete(`/v1/webhooks/${doomed.id}`)).status).toBe(409);
  });

  it('sends a test event to that endpoint only, lists it as a delivery, and re-sends it under the same webhook-id', async () => {
    const hook = await receiver({ name: 'test-event' });
    const bystander = await receiver({ name: 'test-bystander' });
    // Subscribed to something else: a test event goes to the endpoint whatever it subscribes to.
    const { webhook, secret } = await createWebhook(tenant.owner, hook.url, ['token.expired']);
    await createWebhook(tenant.owner, bystander.url, ['token.expired']);

    const sent = await tenant.owner.post<DeliveryBody>(`/v1/webhooks/${webhook.id}/test`);
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ eventType: 'webhook.test', status: 'pending', attempts: 0 });
    const [first] = await hook.waitFor(1);
    expect(verified(secret, first!)).toEqual({
      type: 'webhook.test',
      timestamp: expect.any(String),
      data: { tokenId: null, action: 'webhook.test_sent', actor: { type: 'user', id: tenant.ownerId }, webhookId: webhook.id },
    });
    expect(first!.headers['webhook-id']).toBe(sent.body.messageId);
    const [delivered] = await pollUntil(() => deliveriesOf(tenant.owner, webhook.id), (d) => d[0]?.status === 'delivered');
    expect(delivered).toMatchObject({ id: sent.body.id, eventType: 'webhook.test', attempts: 1, lastStatus: 204, nextAttemptAt: null });

    const resent = await tenant.owner.post<DeliveryBody>(`/v1/webhooks/${webhook.id}/deliveries/${sent.body.id}/resend`);
    expect(resent.status).toBe(202);
    expect(resent.body).toMatchObject({ resentFromId: sent.body.id, messageId: sent.body.messageId, status: 'pending' });
    const [, second] = await hook.waitFor(2);
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(verified(secret, second!)).toEqual(verified(secret, first!));
    const after = await pollUntil(() => deliveriesOf(tenant.owner, webhook.id), (d) => d[0]?.status === 'delivered');
    expect(after.map((d) => [d.id, d.status, d.resentFromId])).toEqual([
      [resent.body.id, 'delivered', sent.body.id],
      [sent.body.id, 'delivered', null],
    ]);
    await sleep(600);
    expect(hook.received).toHaveLength(2);
    expect(bystander.received).toHaveLength(0);
    const recorded = await auditEvents(tenant.owner, `target=${webhook.id}`);
    expect(recorded.map((e) => e.action).sort()).toEqual(['webhook.created', 'webhook.delivery_resent', 'webhook.test_sent']);
  });

  it('signs with both secrets for the grace period after a rotation, and with the new one only after a rotation without grace', async () => {
    const hook = await receiver({ name: 'rotation' });
    const { webhook, secret: first } = await createWebhook(tenant.owner, hook.url, ['token.revoked']);

    const rotated = await tenant.owner.post<{ webhook: { dualSigningUntil: string }; secret: string }>(
      `/v1/webhooks/${webhook.id}/rotate-secret`,
      { gracePeriodSeconds: 3600 },
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(Date.parse(rotated.body.webhook.dualSigningUntil)).toBeGreaterThan(Date.now() + 3500_000);
    const { token } = await issueToken(tenant.owner);
    expect((await tenant.owner.post(`/v1/tokens/${token.id}/revoke`, { reason: 'rotation check' })).status).toBe(200);
    const [during] = await hook.waitFor(1);
    // A receiver still on the old secret and one already on the new one both accept it.
    expect([verifiesWith(first, during!), verifiesWith(rotated.body.secret, during!)]).toEqual([true, true]);

    const immediate = await tenant.owner.post<{ webhook: { dualSigningUntil: string | null }; secret: string }>(
      `/v1/webhooks/${webhook.id}/rotate-secret`,
      { gracePeriodSeconds: 0 },
    );
    expect(immediate.body.webhook.dualSigningUntil).toBeNull();
    expect((await tenant.owner.post(`/v1/webhooks/${webhook.id}/test`)).status).toBe(202);
    const [, after] = await hook.waitFor(2);
    expect([verifiesWith(first, after!), verifiesWith(rotated.body.secret, after!), verifiesWith(immediate.body.secret, after!)]).toEqual([
      false,
      false,
      true,
    ]);
    const reads = JSON.stringify([(await tenant.owner.get(`/v1/webhooks/${webhook.id}`)).body, await auditEvents(tenant.owner)]);
    for (const secret of [first, rotated.body.secret, immediate.body.secret]) expect(reads).not.toContain(secret);
  });

  it('gives a disabled endpoint no deliveries and refuses to test it; enabled again at a new URL, it gets the next events', async () => {
    const before = await receiver({ name: 'before-move' });
    const moved = await receiver({ name: 'after-move' });
    const { webhook } = await createWebhook(tenant.owner, before.url, ['token.revoked']);
    const revoke = async (reason: string) => {
      const { token } = await issueToken(tenant.owner);
      expect((await tenant.owner.post(`/v1/tokens/${token.id}/revoke`, { reason })).status).toBe(200);
      return token.id;
    };

    const disabled = await tenant.owner.patch(`/v1/webhooks/${webhook.id}`, { enabled: false });
    expect(disabled).toMatchObject({ status: 200, body: { enabled: false, disabledAt: expect.any(String) } });
    await revoke('while disabled');
    expect((await tenant.owner.post<{ code: string }>(`/v1/webhooks/${webhook.id}/test`)).body.code).toBe('CONFLICT');
    await sleep(800);
    expect(before.received).toHaveLength(0);
    expect(await deliveriesOf(tenant.owner, webhook.id)).toEqual([]);

    const enabled = await tenant.owner.patch(`/v1/webhooks/${webhook.id}`, { enabled: true, url: moved.url });
    expect(enabled).toMatchObject({ status: 200, body: { enabled: true, disabledAt: null, url: moved.url } });
    const tokenId = await revoke('enabled again');
    const [received] = await moved.waitFor(1);
    expect(JSON.parse(received!.body)).toMatchObject({ type: 'token.revoked', data: { tokenId } });
    expect(before.received).toHaveLength(0);
    const updates = await auditEvents(tenant.owner, `action=webhook.updated&target=${webhook.id}`);
    expect(updates.map((e) => e.data.changed)).toEqual(expect.arrayContaining([['enabled'], ['url', 'enabled']]));
  });

  it('shows the signing secret in the create answer only: not in reads, the audit trail or the database', async () => {
    const { webhook, secret } = await createWebhook(tenant.owner, 'http://127.0.0.1:9/hooks/secret-check', ['token.expiring'], {
      description: 'secret check',
    });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const reads = [
      await tenant.owner.get(`/v1/webhooks/${webhook.id}`),
      await tenant.owner.get('/v1/webhooks'),
      await tenant.owner.get(`/v1/webhooks/${webhook.id}/deliveries`),
    ];
    for (const res of reads) {
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain(secret);
    }
    const created = await auditEvents(tenant.owner, `action=webhook.created&target=${webhook.id}`);
    expect(created).toHaveLength(1);
    expect(created[0]!.data).toEqual({ url: 'http://127.0.0.1:9/hooks/secret-check', events: ['token.expiring'], ipNetwork: '127.0.0.0/24' });
    expect(JSON.stringify(await auditEvents(tenant.owner))).not.toContain(secret);
    const { rows } = await asOwner((db) =>
      db.query<{ row: string }>(`SELECT row_to_json(w)::text AS row FROM webhook_endpoints w WHERE id = $1`, [webhook.id]),
    );
    expect(rows[0]!.row).not.toContain(secret.slice('whsec_'.length));
    expect(rows[0]!.row).toMatch(/"secret_sealed":"v1\./);
  });

  it('refuses unknown event types and a missing event list with field errors, and writes nothing', async () => {
    const before = await tenantFootprint(tenant.tenantId);
    for (const events of [['token.issued'], [], ['token.revoked', 'user.created'], 'token.revoked']) {
      const res = await tenant.owner.post<{ code: string; errors: Array<{ field: string; message: string }> }>('/v1/webhooks', {
        url: 'http://127.0.0.1:9/hooks/x',
        events,
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e) => e.field)).toContain('events');
    }
    expect(await tenantFootprint(tenant.tenantId)).toEqual(before);
  });

  it('lets operators and auditors read webhooks but not create, change, rotate, test or delete them', async () => {
    const { webhook } = await createWebhook(tenant.owner, 'http://127.0.0.1:9/hooks/roles');
    const reader = (await serviceKey(tenant, ['custos:webhooks:read'])).client;
    expect((await reader.get(`/v1/webhooks/${webhook.id}`)).status).toBe(200);
    expect((await reader.post('/v1/webhooks', { url: 'http://127.0.0.1:9/x', events: ['token.revoked'] })).status).toBe(403);
    expect((await reader.delete(`/v1/webhooks/${webhook.id}`)).status).toBe(403);
    expect((await reader.patch(`/v1/webhooks/${webhook.id}`, { enabled: false })).status).toBe(403);
    expect((await reader.post(`/v1/webhooks/${webhook.id}/rotate-secret`, {})).status).toBe(403);
    expect((await reader.post(`/v1/webhooks/${webhook.id}/test`)).status).toBe(403);
  });
});

/** An api with private targets not allowed, as in production: SSRF attempts are refused at creation. */
describe('webhook URLs against server-side request forgery', () => {
  let strict: Awaited<ReturnType<typeof startApi>>;
  let tenant: TestTenant;

  beforeAll(async () => {
    strict = await startApi({ CUSTOS_WEBHOOK_ALLOW_PRIVATE_URLS: 'false' });
    tenant = await signupTenant(new ApiClient(strict.url), 'SSRF');
  }, 60_000);
  afterAll(async () => {
    await strict?.stop();
  });

  it.each([
    ['http://127.0.0.1/hook', 'points to a loopback address'],
    ['http://169.254.169.254/', 'points to a link-local address'],
    ['http://10.0.0.1/', 'points to a private address'],
    ['http://[::1]/', 'points to a loopback address'],
    ['https://127.0.0.1/hook', 'points to a loopback address'],
    ['https://169.254.169.254/', 'points to a link-local address'],
    ['https://10.0.0.1/', 'points to a private address'],
    ['https://[::1]/', 'points to a loopback address'],
    ['https://[::ffff:127.0.0.1]/', 'points to a loopback address'],
    ['https://100.64.0.1/', 'points to a shared (carrier-grade NAT) address'],
    ['https://localhost/hook', 'resolves to a loopback address'],
    ['gopher://example.com/', 'must use https (or http)'],
    ['http://93.184.216.34/hook', 'must use https'],
  ])('refuses %s (%s) and writes nothing', async (url, message) => {
    const before = await tenantFootprint(tenant.tenantId);
    const res = await tenant.owner.post<{ code: string; errors: Array<{ field: string; message: string }> }>('/v1/webhooks', {
      url,
      events: ['token.revoked'],
    });
    expect({ status: res.status, code: res.body.code, errors: res.body.errors }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'url', message }],
    });
    expect(await tenantFootprint(tenant.tenantId)).toEqual(before);
  });

  it.each([
    ['http://127.0.0.1/hook', 'points to a loopback address'],
    ['https://169.254.169.254/latest/meta-data', 'points to a link-local address'],
    ['https://localhost/hook', 'resolves to a loopback address'],
    ['http://93.184.216.34/hook', 'must use https'],
  ])('refuses to move an endpoint to %s (%s) and changes nothing', async (url, message) => {
    const { webhook } = await createWebhook(tenant.owner, 'https://93.184.216.34/hooks/custos', ['token.revoked']);
    const before = await tenantFootprint(tenant.tenantId);
    const res = await tenant.owner.patch<{ code: string; errors: Array<{ field: string; message: string }> }>(`/v1/webhooks/${webhook.id}`, { url });
    expect({ status: res.status, code: res.body.code, errors: res.body.errors }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'url', message }],
    });
    expect(await tenantFootprint(tenant.tenantId)).toEqual(before);
    expect((await tenant.owner.get(`/v1/webhooks/${webhook.id}`)).body).toEqual(webhook);
  });
});
