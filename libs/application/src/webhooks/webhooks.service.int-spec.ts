import { randomBytes } from 'node:crypto';
import { ErrorCode } from '@custos/contracts';
import { SecretBox } from '@custos/crypto';
import { DomainError } from '@custos/domain';
import { auditTrailOf, createTenant, storedWebhookEndpoint, userPrincipal, useMediumDatabase, webhookDeliveriesOf } from '@custos/fixtures';
import { WebhookDeliveryRepository, WebhookEndpointRepository } from '@custos/persistence';
import { SYSTEM_ACTOR } from '../audit/audit-log';
import { auditOn } from '../testing/audit-on';
import { WEBHOOK_SECRET_PURPOSE, webhookSecretContext } from './webhook-secret';
import type { WebhookSettings } from './webhook-settings';
import { MAX_WEBHOOKS_PER_TENANT, WebhooksService } from './webhooks.service';

async function refusal(work: Promise<unknown>): Promise<DomainError> {
  const error = await work.then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw error;
  return error;
}

/** A public address literal: no DNS involved. */
const PUBLIC_URL = 'https://93.184.215.14/hooks/custos';
/**
 * Where endpoints that get deliveries point (allowed with private URLs): the discard port refuses at
 * once, so a dispatcher of another test file sharing the run's database fails them fast.
 */
const LOCAL_URL = 'http://127.0.0.1:9/hooks/custos';

/** Webhook endpoints on the real database: where they may point, how their secret is kept, whose they are. */
describe('WebhooksService (medium)', () => {
  const db = useMediumDatabase();
  const box = new SecretBox(randomBytes(32).toString('base64url'));
  const { audit, sealer } = auditOn(db);
  const settings: WebhookSettings = { allowPrivateUrls: false, timeoutMs: 2000, retryBaseMs: 60_000, maxAttempts: 3 };
  const service = (allowPrivateUrls: boolean) =>
    new WebhooksService(db, audit, box, { ...settings, allowPrivateUrls }, new WebhookEndpointRepository(), new WebhookDeliveryRepository());
  const webhooks = service(false);
  const local = service(true);
  const meta = { requestId: 'req_webhooks', ip: null };

  let tenantId: string;
  beforeEach(async () => {
    tenantId = await createTenant(db);
  });
  // Deleting cancels what is still pending: nothing left for another file's dispatcher to send.
  afterEach(async () => {
    const admin = userPrincipal(tenantId, 'admin');
    for (const endpoint of await webhooks.list(admin)) await webhooks.delete(admin, endpoint.id, meta);
  });
  // Seals run after commit: they finish before the file's pool closes.
  afterEach(() => sealer.drain());

  it('refuses private, loopback and plain-http targets unless private URLs are allowed', async () => {
    const admin = userPrincipal(tenantId, 'admin');
    const refusedUrls = ['https://127.0.0.1/hook', 'https://10.1.2.3/hook', 'https://[::1]/hook', 'https://localhost/hook', 'http://93.184.215.14/hook'];

    const problems = await Promise.all(refusedUrls.map((url) => refusal(webhooks.create(admin, { url, events: ['token.revoked'] }, meta))));

    expect(problems.map((p) => [p.code, p.fieldErrors.map((f) => f.field)])).toEqual(refusedUrls.map(() => [ErrorCode.VALIDATION_FAILED, ['url']]));
    expect(await webhooks.list(admin)).toEqual([]);
    const allowed = await local.create(admin, { url: LOCAL_URL, events: ['token.revoked'] }, meta);
    expect(allowed.webhook.url).toBe(LOCAL_URL);
  });

  it('shows the signing secret once and stores it sealed to this tenant and endpoint', async () => {
    const admin = userPrincipal(tenantId, 'admin');

    const { webhook, secret } = await webhooks.create(admin, { url: PUBLIC_URL, events: ['token.revoked', 'token.revoked'] }, meta);

    expect(secret).toMatch(/^whsec_/);
    expect(webhook).toEqual({
      id: expect.stringMatching(/^whk_/),
      url: PUBLIC_URL,
      events: ['token.revoked'],
      description: null,
      createdBy: admin.id,
      createdAt: expect.any(String),
      deletedAt: null,
    });
    expect(await webhooks.get(admin, webhook.id)).toEqual(webhook);
    expect(JSON.stringify(await webhooks.list(admin))).not.toContain(secret.slice(6));
    const stored = await storedWebhookEndpoint(db, tenantId, webhook.id);
    expect(stored!.secret_sealed).not.toContain(secret.slice(6));
    expect(box.open(WEBHOOK_SECRET_PURPOSE, webhookSecretContext(tenantId, webhook.id), stored!.secret_sealed)).toBe(secret);
    expect(() => box.open(WEBHOOK_SECRET_PURPOSE, webhookSecretContext('ten_other', webhook.id), stored!.secret_sealed)).toThrow();
  });

  it('refuses unknown events and an empty list, field by field', async () => {
    const error = await refusal(webhooks.create(userPrincipal(tenantId, 'admin'), { url: PUBLIC_URL, events: ['token.revoked', 'token.eaten'] }, meta));
    expect(error.fieldErrors).toEqual([{ field: 'events', message: 'token.eaten is not a webhook event' }]);
    const none = await refusal(webhooks.create(userPrincipal(tenantId, 'admin'), { url: PUBLIC_URL, events: [] }, meta));
    expect(none.fieldErrors).toEqual([{ field: 'events', message: 'must name at least one event' }]);
  });

  it(`keeps at most ${MAX_WEBHOOKS_PER_TENANT} live endpoints per tenant; a deleted one frees its place`, async () => {
    const admin = userPrincipal(tenantId, 'admin');
    const created = [];
    for (let i = 0; i < MAX_WEBHOOKS_PER_TENANT; i++) created.push(await webhooks.create(admin, { url: `${PUBLIC_URL}/${i}`, events: ['token.expired'] }, meta));

    expect((await refusal(webhooks.create(admin, { url: PUBLIC_URL, events: ['token.expired'] }, meta))).code).toBe(ErrorCode.CONFLICT);
    await webhooks.delete(admin, created[0]!.webhook.id, meta);
    expect((await webhooks.create(admin, { url: PUBLIC_URL, events: ['token.expired'] }, meta)).webhook.url).toBe(PUBLIC_URL);
    expect(await webhooks.list(admin)).toHaveLength(MAX_WEBHOOKS_PER_TENANT);
  });

  it('cancels pending deliveries with the deletion, audited without the query string', async () => {
    const admin = userPrincipal(tenantId, 'admin');
    const { webhook } = await local.create(admin, { url: `${LOCAL_URL}?key=receiver-secret`, events: ['token.revoked'] }, meta);
    await db.tenant(tenantId, (tx) =>
      audit.record(tx, meta, ...['tok_a', 'tok_b'].map((id) => ({ action: 'token.revoked' as const, actor: SYSTEM_ACTOR, target: { type: 'token', id } }))),
    );
    expect((await webhooks.deliveries(admin, webhook.id, { limit: 10 })).items.map((d) => d.status)).toEqual(['pending', 'pending']);

    await webhooks.delete(admin, webhook.id, meta);

    expect((await webhookDeliveriesOf(db, tenantId, webhook.id)).map((d) => d.status)).toEqual(['cancelled', 'cancelled']);
    expect((await webhooks.get(admin, webhook.id)).deletedAt).not.toBeNull();
    expect(await webhooks.list(admin)).toEqual([]);
    expect((await refusal(webhooks.delete(admin, webhook.id, meta))).code).toBe(ErrorCode.CONFLICT);
    const deleted = (await auditTrailOf(db, tenantId)).find((e) => e.action === 'webhook.deleted');
    expect(deleted?.data).toEqual({ url: LOCAL_URL, cancelledDeliveries: 2 });
  });

  it('pages deliveries newest first with a cursor, and filters them by status', async () => {
    const admin = userPrincipal(tenantId, 'admin');
    const { webhook } = await local.create(admin, { url: LOCAL_URL, events: ['token.revoked'] }, meta);
    for (const id of ['tok_1', 'tok_2', 'tok_3']) {
      await db.tenant(tenantId, (tx) => audit.record(tx, meta, { action: 'token.revoked', actor: SYSTEM_ACTOR, target: { type: 'token', id } }));
    }
    const all = (await webhookDeliveriesOf(db, tenantId, webhook.id)).map((d) => d.id).reverse();

    const first = await webhooks.deliveries(admin, webhook.id, { limit: 2 });
    const second = await webhooks.deliveries(admin, webhook.id, { limit: 2, cursor: first.nextCursor! });

    expect(first.items.map((d) => d.id)).toEqual(all.slice(0, 2));
    expect(second).toEqual({ items: [expect.objectContaining({ id: all[2], status: 'pending', eventType: 'token.revoked' })], nextCursor: null });
    expect((await webhooks.deliveries(admin, webhook.id, { limit: 10, status: 'delivered' })).items).toEqual([]);
  });

  it("neither reads nor deletes another tenant's endpoint", async () => {
    const { webhook } = await webhooks.create(userPrincipal(tenantId, 'admin'), { url: PUBLIC_URL, events: ['token.revoked'] }, meta);
    const stranger = userPrincipal(await createTenant(db), 'owner');

    expect((await refusal(webhooks.get(stranger, webhook.id))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await refusal(webhooks.delete(stranger, webhook.id, meta))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await refusal(webhooks.deliveries(stranger, webhook.id, { limit: 10 }))).code).toBe(ErrorCode.NOT_FOUND);
    expect(await webhooks.list(stranger)).toEqual([]);
    expect((await storedWebhookEndpoint(db, tenantId, webhook.id))!.deleted_at).toBeNull();
  });
});
