import { randomUUID } from 'node:crypto';
import jose from 'node-jose';
import { Webhook } from 'standardwebhooks';
import {
  ApiClient,
  asOwner,
  createService,
  createWebhook,
  issueToken,
  pollUntil,
  serviceKey,
  signupTenant,
  startApi,
  startWebhookReceiver,
  startWorker,
  verifyToken,
  type RunningApi,
  type RunningProcess,
  type TestTenant,
  type WebhookReceiver,
} from '@custos/testing';

interface Delivered {
  type: string;
  timestamp: string;
  data: { tokenId: string; action: string; [key: string]: unknown };
}

// @runsAlone: it starts a worker on the run's database, whose sweeps act on every tenant in it (npm test runs it after the rest, by itself).
/**
 * What the worker tells a tenant without anyone asking: tokens expiring soon, tokens nobody uses (then
 * their suspension), and rotations, each as a signed webhook to a real receiver and an audit event.
 */
describe('lifecycle notifications, as a subscriber receives them', () => {
  // An api of its own in the worker's Redis namespace: it must hear the worker's invalidations (a
  // suspension) as one installation's processes do.
  const prefix = `{custos-notify-${randomUUID().slice(0, 8)}}`;
  let server: RunningApi;
  let api: ApiClient;
  let worker: RunningProcess;
  let tenant: TestTenant;
  let admin: ApiClient;
  let receiver: WebhookReceiver;
  let verifier: Webhook;

  beforeAll(async () => {
    server = await startApi({ CUSTOS_QUEUE_PREFIX: prefix });
    api = new ApiClient(server.url);
    worker = await startWorker({
      CUSTOS_QUEUE_PREFIX: prefix,
      CUSTOS_SWEEP_INTERVAL_MS: '200',
      CUSTOS_NOTICE_INTERVAL_MS: '200',
      CUSTOS_WEBHOOK_INTERVAL_MS: '200',
      CUSTOS_AUDIT_SEAL_INTERVAL_MS: '200',
    });
    tenant = await signupTenant(api, 'Notifications');
    admin = (await serviceKey(tenant)).client;
    receiver = await startWebhookReceiver({ name: 'lifecycle' });
    const { secret } = await createWebhook(admin, receiver.url, ['token.expiring', 'token.unused_warning', 'token.suspended', 'token.rotated']);
    verifier = new Webhook(secret);
  });
  afterAll(async () => {
    await worker?.stop();
    await server?.stop();
    await receiver?.close();
  });

  /** Every delivery so far, signature-checked by the standardwebhooks verifier. */
  const delivered = (): Delivered[] =>
    receiver.received.map((r) => verifier.verify(r.body, r.headers as Record<string, string>) as Delivered);

  async function waitForEvent(type: string, tokenId: string): Promise<Delivered> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = delivered().find((d) => d.type === type && d.data.tokenId === tokenId);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${type} for ${tokenId}; got ${JSON.stringify(delivered().map((d) => [d.type, d.data.tokenId]))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('announces a token 7 days before it expires, once', async () => {
    const { token } = await issueToken(admin, { expiresInSeconds: 8 * 86_400 });
    // A day has passed: the 7-day notice is due.
    await asOwner((db) => db.query(`UPDATE tokens SET expiry_notice_at = now() WHERE id = $1`, [token.id]));
    const notice = await waitForEvent('token.expiring', token.id);
    expect(notice.data).toMatchObject({ action: 'token.expiring', withinDays: 7, expiresAt: token.expiresAt });
    const next = await asOwner((db) =>
      db.query<{ next: Date }>(`SELECT expiry_notice_at AS next FROM tokens WHERE id = $1`, [token.id]),
    );
    // The 1-day notice is scheduled for the day before expiry.
    expect(next.rows[0]!.next.getTime()).toBe(new Date(token.expiresAt).getTime() - 86_400_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(delivered().filter((d) => d.type === 'token.expiring' && d.data.tokenId === token.id)).toHaveLength(1);
  });

  it('warns about an unused token, then suspends it everywhere at the limit, and an admin can resume it', async () => {
    const policy = (await admin.get<Record<string, unknown>>('/v1/policy')).body;
    const updated = await admin.put('/v1/policy', { ...policy, disableUnusedAfterDays: 30, updatedAt: undefined });
    expect(updated.status).toBe(200);
    const quiet = await issueToken(admin);
    // Verified once, so the api has it cached: the suspension must reach that cache.
    expect(await verifyToken(admin, quiet.secret)).toMatchObject({ valid: true });
    // Let that use be recorded first, so it cannot land after the clock is turned back below.
    await pollUntil(() => admin.get<{ lastUsedAt: string | null }>(`/v1/tokens/${quiet.token.id}`), (r) => r.body.lastUsedAt !== null);
    await asOwner((db) => db.query(`UPDATE tokens SET created_at = now() - interval '25 days', last_used_at = NULL WHERE id = $1`, [quiet.token.id]));
    const warning = await waitForEvent('token.unused_warning', quiet.token.id);
    expect(warning.data).toMatchObject({ action: 'token.unused_warning', suspendsAt: expect.any(String) });

    await asOwner((db) => db.query(`UPDATE tokens SET created_at = now() - interval '31 days' WHERE id = $1`, [quiet.token.id]));
    const suspension = await waitForEvent('token.suspended', quiet.token.id);
    expect(suspension.data).toMatchObject({ action: 'token.suspended_unused', disableUnusedAfterDays: 30 });
    expect(await verifyToken(admin, quiet.secret)).toMatchObject({ valid: false, code: 'SUSPENDED' });
    expect((await admin.get(`/v1/tokens/${quiet.token.id}`)).body).toMatchObject({ status: 'suspended', suspendedReason: 'unused' });

    expect((await admin.post(`/v1/tokens/${quiet.token.id}/resume`, {})).status).toBe(200);
    expect(await verifyToken(admin, quiet.secret)).toMatchObject({ valid: true });
    // Resuming starts a new quiet period: the next sweeps leave it alone.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await admin.get(`/v1/tokens/${quiet.token.id}`)).body).toMatchObject({ status: 'active', suspendedReason: null });
  });

  it("carries a scheduled rotation's successor as a JWE only the owning service can open", async () => {
    const keystore = jose.JWK.createKeyStore();
    const key = await keystore.generate('RSA', 2048);
    const service = await createService(admin, { allowedScopes: ['orders:read'], publicJwk: key.toJSON(false) });
    const old = await issueToken(admin, { ownerServiceId: service.id, rotationIntervalSeconds: 86_400 });
    await asOwner((db) => db.query(`UPDATE tokens SET next_rotation_at = now() WHERE id = $1`, [old.token.id]));

    const rotated = await waitForEvent('token.rotated', old.token.id);
    expect(rotated.data).toMatchObject({ action: 'token.rotated', successorId: expect.any(String), successorJwe: expect.any(String) });
    const opened = await jose.JWE.createDecrypt(keystore).decrypt(rotated.data.successorJwe as string);
    const inner = JSON.parse(opened.plaintext.toString('utf8')) as { tokenId: string; secret: string };
    expect(inner.tokenId).toBe(rotated.data.successorId);
    expect(await verifyToken(admin, inner.secret, { scopes: ['orders:read'] })).toMatchObject({ valid: true, tokenId: inner.tokenId });
    // The webhook is the only place the JWE leaves the database; the audit trail never holds it.
    const audit = await asOwner((db) => db.query(`SELECT data FROM audit_events WHERE target_id = $1 AND action = 'token.rotated'`, [old.token.id]));
    expect(JSON.stringify(audit.rows)).not.toContain(rotated.data.successorJwe as string);
  });
});
