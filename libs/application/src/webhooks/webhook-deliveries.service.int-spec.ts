import { randomBytes } from 'node:crypto';
import { ErrorCode } from '@custos/contracts';
import { SecretBox } from '@custos/crypto';
import { DomainError } from '@custos/domain';
import { auditTrailOf, createTenant, userPrincipal, useMediumDatabase, webhookDeliveriesOf } from '@custos/fixtures';
import { WebhookDeliveryRepository, WebhookEndpointRepository } from '@custos/persistence';
import { SYSTEM_ACTOR } from '../audit/audit-log';
import { auditOn } from '../testing/audit-on';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookDispatcher } from './webhook-dispatcher';
import type { WebhookSettings } from './webhook-settings';
import { WebhooksService } from './webhooks.service';

async function refusal(work: Promise<unknown>): Promise<DomainError> {
  const error = await work.then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw error;
  return error;
}

/** The discard port refuses at once: an attempt fails fast, here and in any other file's dispatcher. */
const LOCAL_URL = 'http://127.0.0.1:9/hooks/deliveries';

/** Test events and re-sends on the real database: what they queue, for which endpoint, and what they refuse. */
describe('WebhookDeliveriesService (medium)', () => {
  const db = useMediumDatabase();
  const box = new SecretBox(randomBytes(32).toString('base64url'));
  const { audit, sealer } = auditOn(db);
  const settings: WebhookSettings = { allowPrivateUrls: true, timeoutMs: 2000, retryBaseMs: 60_000, maxAttempts: 1 };
  const webhooks = new WebhooksService(db, audit, box, settings, new WebhookEndpointRepository(), new WebhookDeliveryRepository());
  const deliveries = new WebhookDeliveriesService(db, audit, new WebhookEndpointRepository(), new WebhookDeliveryRepository());
  // One attempt per delivery: the first failure makes it `failed`.
  const dispatcher = new WebhookDispatcher(db, box, settings, new WebhookDeliveryRepository());
  const meta = { requestId: 'req_deliveries', ip: null };

  let tenantId: string;
  beforeEach(async () => {
    tenantId = await createTenant(db);
  });
  // Deleting cancels what is still pending: nothing left for another file's dispatcher to send.
  afterEach(async () => {
    const admin = userPrincipal(tenantId, 'admin');
    for (const endpoint of await webhooks.list(admin)) await webhooks.delete(admin, endpoint.id, meta);
  });
  afterEach(() => sealer.drain());

  const revoke = (tokenId: string) =>
    db.tenant(tenantId, (tx) => audit.record(tx, meta, { action: 'token.revoked', actor: SYSTEM_ACTOR, target: { type: 'token', id: tokenId } }));

  it('sends a webhook.test event to that endpoint only, whatever it subscribes to, and records it', async () => {
    const admin = userPrincipal(tenantId, 'admin');
    const { webhook } = await webhooks.create(admin, { url: LOCAL_URL, events: ['token.expired'] }, meta);
    const { webhook: other } = await webhooks.create(admin, { url: `${LOCAL_URL}/other`, events: ['token.expired'] }, meta);

    const delivery = await deliveries.sendTest(admin, webhook.id, meta);

    expect(delivery).toMatchObject({
      endpointId: webhook.id,
      eventType: 'webhook.test',
      messageId: expect.stringMatching(/^msg_[0-9a-f]{32}$/),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: expect.any(String),
      resentFromId: null,
    });
    expect(delivery.id).toMatch(/^dlv_[0-9a-f]{32}$/);
    const [stored] = await webhookDeliveriesOf(db, tenantId, webhook.id);
    expect(stored!.payload).toEqual({
      type: 'webhook.test',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: { tokenId: null, action: 'webhook.test_sent', actor: { type: 'user', id: admin.id }, webhookId: webhook.id },
    });
    expect(await webhookDeliveriesOf(db, tenantId, other.id)).toEqual([]);
    const recorded = (await auditTrailOf(db, tenantId)).filter((e) => e.action === 'webhook.test_sent');
    expect(recorded).toMatchObject([{ target_id: webhook.id, data: { deliveryId: delivery.id, messageId: delivery.messageId } }]);
  });

  it('re-sends a failed delivery as a new one with the same event, payload and webhook-id; the original keeps its history', async () => {
    const admin = userPrincipal(tenantId, 'admin');
    const { webhook } = await webhooks.create(admin, { url: LOCAL_URL, events: ['token.revoked'] }, meta);
    await revoke('tok_resent');
    await dispatcher.dispatch();
    const [failed] = (await deliveries.page(admin, webhook.id, { limit: 10 })).items;
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });

    const resent = await deliveries.resend(admin, webhook.id, failed!.id, meta);

    expect(resent).toMatchObject({
      endpointId: webhook.id,
      eventType: 'token.revoked',
      messageId: failed!.messageId,
      status: 'pending',
      attempts: 0,
      attemptLog: [],
      resentFromId: failed!.id,
    });
    expect(resent.id).not.toBe(failed!.id);
    const [original, copy] = await webhookDeliveriesOf(db, tenantId, webhook.id);
    expect(copy!.payload).toEqual(original!.payload);
    expect(original).toMatchObject({ id: failed!.id, status: 'failed', attempts: 1, attempt_log: [expect.objectContaining({ error: expect.any(String) })] });
    const recorded = (await auditTrailOf(db, tenantId)).filter((e) => e.action === 'webhook.delivery_resent');
    expect(recorded.map((e) => e.data)).toEqual([
      {
        deliveryId: resent.id,
        resentFromId: failed!.id,
        eventType: 'token.revoked',
        messageId: failed!.messageId,
        originalStatus: 'failed',
        cancelledOriginal: false,
      },
    ]);
  });

  it('cancels a delivery still pending when it is re-sent, so the event is not retried on two schedules', async () => {
    const admin = userPrincipal(tenantId, 'admin');
    const { webhook } = await webhooks.create(admin, { url: LOCAL_URL, events: ['token.revoked'] }, meta);
    await revoke('tok_pending');
    const [pending] = await webhookDeliveriesOf(db, tenantId, webhook.id);

    const resent = await deliveries.resend(admin, webhook.id, pending!.id, meta);

    expect((await webhookDeliveriesOf(db, tenantId, webhook.id)).map((d) => [d.id, d.status])).toEqual([
      [pending!.id, 'cancelled'],
      [resent.id, 'pending'],
    ]);
    const [recorded] = (await auditTrailOf(db, tenantId)).filter((e) => e.action === 'webhook.delivery_resent');
    expect(recorded!.data).toMatchObject({ originalStatus: 'pending', cancelledOriginal: true });
  });

  it("refuses what it cannot send, and another tenant's or endpoint's delivery, writing nothing", async () => {
    const admin = userPrincipal(tenantId, 'admin');
    const { webhook } = await webhooks.create(admin, { url: LOCAL_URL, events: ['token.revoked'] }, meta);
    const { webhook: sibling } = await webhooks.create(admin, { url: `${LOCAL_URL}/sibling`, events: ['token.expired'] }, meta);
    await revoke('tok_refusals');
    const [delivery] = await webhookDeliveriesOf(db, tenantId, webhook.id);
    const stranger = userPrincipal(await createTenant(db), 'owner');
    const auditor = userPrincipal(tenantId, 'auditor');
    const trailBefore = await auditTrailOf(db, tenantId);

    const codes = async (works: Array<Promise<unknown>>) => (await Promise.all(works.map(refusal))).map((e) => e.code);
    expect(
      await codes([
        deliveries.resend(admin, webhook.id, 'dlv_unknown', meta),
        deliveries.resend(admin, sibling.id, delivery!.id, meta),
        deliveries.resend(stranger, webhook.id, delivery!.id, meta),
        deliveries.sendTest(stranger, webhook.id, meta),
        deliveries.sendTest(admin, 'whk_unknown', meta),
        deliveries.sendTest(auditor, webhook.id, meta),
        deliveries.resend(auditor, webhook.id, delivery!.id, meta),
      ]),
    ).toEqual([
      ErrorCode.NOT_FOUND,
      ErrorCode.NOT_FOUND,
      ErrorCode.NOT_FOUND,
      ErrorCode.NOT_FOUND,
      ErrorCode.NOT_FOUND,
      ErrorCode.FORBIDDEN,
      ErrorCode.FORBIDDEN,
    ]);

    // Anything sent to a disabled endpoint would be cancelled: both are refused until it is enabled.
    await webhooks.update(admin, sibling.id, { enabled: false }, meta);
    await webhooks.delete(admin, webhook.id, meta);
    expect(await codes([deliveries.sendTest(admin, sibling.id, meta), deliveries.resend(admin, webhook.id, delivery!.id, meta)])).toEqual([
      ErrorCode.CONFLICT,
      ErrorCode.CONFLICT,
    ]);
    expect((await webhookDeliveriesOf(db, tenantId, webhook.id)).map((d) => d.id)).toEqual([delivery!.id]);
    expect(await webhookDeliveriesOf(db, tenantId, sibling.id)).toEqual([]);
    const added = (await auditTrailOf(db, tenantId)).slice(trailBefore.length).map((e) => e.action);
    expect(added).toEqual(['webhook.updated', 'webhook.deleted']);
  });
});
