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
import { WebhookDeliveriesService } from './webhook-deliveries.service';
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

/**
 * Webhook endpoints on the real database: where they may point, how their secret is kept and rotated,
 * what an edit or a disable changes, whose they are.
 */
describe('WebhooksService (medium)', () => {
  const db = useMediumDatabase();
  const box = new SecretBox(randomBytes(32).toString('base64url'));
  const { audit, sealer } = auditOn(db);
  const settings: WebhookSettings = { allowPrivateUrls: false, timeoutMs: 2000, retryBaseMs: 60_000, maxAttempts: 3 };
  const service = (allowPrivateUrls: boolean) =>
    new WebhooksService(db, audit, box, { ...settings, allowPrivateUrls }, new WebhookEndpointRepository(), new WebhookDeliveryRepository());
  const webhooks = service(false);
  const local = service(true);
  const deliveries = new WebhookDeliveriesService(db, audit, new WebhookEndpointRepository(), new WebhookDeliveryRepository());
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
      enabled: true,
      disabledAt: null,
      createdBy: admin.id,
      createdAt: expect.any(String),
      updatedAt: null,
      rotatedAt: null,
      dualSigningUntil: null,
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
    expect((await deliveries.page(admin, webhook.id, { limit: 10 })).items.map((d) => d.status)).toEqual(['pending', 'pending']);

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

    const first = await deliveries.page(admin, webhook.id, { limit: 2 });
    const second = await deliveries.page(admin, webhook.id, { limit: 2, cursor: first.nextCursor! });

    expect(first.items.map((d) => d.id)).toEqual(all.slice(0, 2));
    expect(second).toEqual({ items: [expect.objectContaining({ id: all[2], status: 'pending', eventType: 'token.revoked' })], nextCursor: null });
    expect((await deliveries.page(admin, webhook.id, { limit: 10, status: 'delivered' })).items).toEqual([]);
  });

  it('edits URL, events and description, checking a new URL as on creation, and records before and after', async () => {
    const admin = userPrincipal(tenantId, 'admin');
    const { webhook } = await webhooks.create(admin, { url: PUBLIC_URL, events: ['token.revoked'], description: 'first' }, meta);

    const refused = await refusal(webhooks.update(admin, webhook.id, { url: 'https://10.0.0.1/hook', events: ['token.eaten'] }, meta));
    expect(refused.fieldErrors).toEqual([
      { field: 'events', message: 'token.eaten is not a webhook event' },
      { field: 'url', message: 'points to a private address' },
    ]);
    expect(await webhooks.get(admin, webhook.id)).toEqual(webhook);

    const moved = `${PUBLIC_URL}/v2?key=receiver-secret`;
    const updated = await webhooks.update(admin, webhook.id, { url: moved, events: ['token.expired', 'token.revoked'], description: null }, meta);
    expect(updated).toEqual({
      ...webhook,
      url: moved,
      events: ['token.expired', 'token.revoked'],
      description: null,
      updatedAt: expect.any(String),
    });
    expect(await webhooks.get(admin, webhook.id)).toEqual(updated);
    // The same values again, in another order, change nothing and record nothing.
    expect(await webhooks.update(admin, webhook.id, { url: moved, events: ['token.revoked', 'token.expired'] }, meta)).toEqual(updated);
    const recorded = (await auditTrailOf(db, tenantId)).filter((e) => e.action === 'webhook.updated');
    expect(recorded.map((e) => e.data)).toEqual([
      {
        changed: ['url', 'events', 'description'],
        // The URL without its query string; the description's text is not kept.
        before: { url: PUBLIC_URL, events: ['token.revoked'] },
        after: { url: `${PUBLIC_URL}/v2`, events: ['token.expired', 'token.revoked'] },
      },
    ]);
  });

  it('disables an endpoint: its pending deliveries are cancelled and new events make none, until it is enabled again', async () => {
    const admin = userPrincipal(tenantId, 'admin');
    const { webhook } = await local.create(admin, { url: LOCAL_URL, events: ['token.revoked'] }, meta);
    const revoke = (id: string) =>
      db.tenant(tenantId, (tx) => audit.record(tx, meta, { action: 'token.revoked', actor: SYSTEM_ACTOR, target: { type: 'token', id } }));
    const stored = async () =>
      (await webhookDeliveriesOf(db, tenantId, webhook.id)).map((d) => [(d.payload.data as { tokenId: string }).tokenId, d.status]);
    await revoke('tok_before');

    expect(await webhooks.update(admin, webhook.id, { enabled: false }, meta)).toMatchObject({ enabled: false, disabledAt: expect.any(String) });
    await revoke('tok_while_disabled');
    expect(await stored()).toEqual([['tok_before', 'cancelled']]);
    expect((await webhooks.list(admin)).map((w) => [w.id, w.enabled])).toEqual([[webhook.id, false]]);

    expect(await webhooks.update(admin, webhook.id, { enabled: true }, meta)).toMatchObject({ enabled: true, disabledAt: null });
    await revoke('tok_after');
    expect(await stored()).toEqual([
      ['tok_before', 'cancelled'],
      ['tok_after', 'pending'],
    ]);
    const recorded = (await auditTrailOf(db, tenantId)).filter((e) => e.action === 'webhook.updated');
    expect(recorded.map((e) => e.data)).toEqual([
      { changed: ['enabled'], before: { enabled: true }, after: { enabled: false }, cancelledDeliveries: 1 },
      { changed: ['enabled'], before: { enabled: false }, after: { enabled: true } },
    ]);
  });

  it('rotates the signing secret: the new one shown once and sealed, the old one kept sealed for the grace period only', async () => {
    const admin = userPrincipal(tenantId, 'admin');
    const { webhook, secret: first } = await webhooks.create(admin, { url: PUBLIC_URL, events: ['token.revoked'] }, meta);
    const open = (sealed: string | null | undefined) => box.open(WEBHOOK_SECRET_PURPOSE, webhookSecretContext(tenantId, webhook.id), sealed!);
    const signsUntil = (w: { dualSigningUntil: string | null }) => Date.parse(w.dualSigningUntil!);

    const started = Date.now();
    const rotated = await webhooks.rotateSecret(admin, webhook.id, { gracePeriodSeconds: 3600 }, meta);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(first);
    expect(signsUntil(rotated.webhook)).toBeGreaterThanOrEqual(started + 3600_000 - 1000);
    expect(signsUntil(rotated.webhook)).toBeLessThanOrEqual(Date.now() + 3600_000);
    expect(rotated.webhook.rotatedAt).toEqual(expect.any(String));
    expect(await webhooks.get(admin, webhook.id)).toEqual(rotated.webhook);
    let stored = (await storedWebhookEndpoint(db, tenantId, webhook.id))!;
    expect([open(stored.secret_sealed), open(stored.previous_secret_sealed)]).toEqual([rotated.secret, first]);

    // Again, with the default grace (a day): the first secret is dropped, at most two ever sign.
    const again = await webhooks.rotateSecret(admin, webhook.id, {}, meta);
    expect(signsUntil(again.webhook)).toBeGreaterThan(Date.now() + 86_400_000 - 60_000);
    stored = (await storedWebhookEndpoint(db, tenantId, webhook.id))!;
    expect([open(stored.secret_sealed), open(stored.previous_secret_sealed)]).toEqual([again.secret, rotated.secret]);

    const immediate = await webhooks.rotateSecret(admin, webhook.id, { gracePeriodSeconds: 0 }, meta);
    expect(immediate.webhook.dualSigningUntil).toBeNull();
    stored = (await storedWebhookEndpoint(db, tenantId, webhook.id))!;
    expect([open(stored.secret_sealed), stored.previous_secret_sealed, stored.previous_secret_expires_at]).toEqual([immediate.secret, null, null]);

    const tooLong = await refusal(webhooks.rotateSecret(admin, webhook.id, { gracePeriodSeconds: 8 * 86_400 }, meta));
    expect(tooLong.fieldErrors.map((f) => f.field)).toEqual(['gracePeriodSeconds']);
    expect(open((await storedWebhookEndpoint(db, tenantId, webhook.id))!.secret_sealed)).toBe(immediate.secret);

    const trail = await auditTrailOf(db, tenantId);
    expect(trail.filter((e) => e.action === 'webhook.secret_rotated').map((e) => e.data)).toEqual([
      { gracePeriodSeconds: 3600, previousSignsUntil: rotated.webhook.dualSigningUntil },
      { gracePeriodSeconds: 86_400, previousSignsUntil: again.webhook.dualSigningUntil },
      { gracePeriodSeconds: 0, previousSignsUntil: null },
    ]);
    for (const secret of [first, rotated.secret, again.secret, immediate.secret]) expect(JSON.stringify(trail)).not.toContain(secret.slice(6));
  });

  it('refuses to edit or rotate a deleted endpoint, and lets a reader do neither', async () => {
    const admin = userPrincipal(tenantId, 'admin');
    const { webhook } = await webhooks.create(admin, { url: PUBLIC_URL, events: ['token.revoked'] }, meta);
    const auditor = userPrincipal(tenantId, 'auditor');
    expect((await refusal(webhooks.update(auditor, webhook.id, { enabled: false }, meta))).code).toBe(ErrorCode.FORBIDDEN);
    expect((await refusal(webhooks.rotateSecret(auditor, webhook.id, {}, meta))).code).toBe(ErrorCode.FORBIDDEN);

    await webhooks.delete(admin, webhook.id, meta);
    expect((await refusal(webhooks.update(admin, webhook.id, { description: 'late' }, meta))).code).toBe(ErrorCode.CONFLICT);
    expect((await refusal(webhooks.rotateSecret(admin, webhook.id, {}, meta))).code).toBe(ErrorCode.CONFLICT);
    expect(await webhooks.get(admin, webhook.id)).toMatchObject({ description: null, rotatedAt: null, updatedAt: null });
  });

  it("neither reads nor deletes another tenant's endpoint", async () => {
    const { webhook } = await webhooks.create(userPrincipal(tenantId, 'admin'), { url: PUBLIC_URL, events: ['token.revoked'] }, meta);
    const stranger = userPrincipal(await createTenant(db), 'owner');

    expect((await refusal(webhooks.get(stranger, webhook.id))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await refusal(webhooks.delete(stranger, webhook.id, meta))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await refusal(webhooks.update(stranger, webhook.id, { enabled: false }, meta))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await refusal(webhooks.rotateSecret(stranger, webhook.id, {}, meta))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await refusal(deliveries.page(stranger, webhook.id, { limit: 10 }))).code).toBe(ErrorCode.NOT_FOUND);
    expect(await webhooks.list(stranger)).toEqual([]);
    expect(await storedWebhookEndpoint(db, tenantId, webhook.id)).toMatchObject({ deleted_at: null, disabled_at: null, previous_secret_sealed: null });
  });
});
