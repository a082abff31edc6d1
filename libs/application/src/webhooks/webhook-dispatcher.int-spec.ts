import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretBox, generateWebhookSecret } from '@custos/crypto';
import { Webhook } from 'standardwebhooks';
import {
  abandonWebhookClaim,
  auditTrailOf,
  createTenant,
  createWebhookEndpoint,
  makeWebhookDeliveriesDue,
  markWebhookEndpoint,
  userPrincipal,
  useMediumDatabase,
  webhookDeliveriesOf,
} from '@custos/fixtures';
import { AuditChainRepository, AuditEventRepository, WebhookDeliveryRepository, WebhookEndpointRepository } from '@custos/persistence';
import { AuditLog, SYSTEM_ACTOR, type AuditEntry } from '../audit/audit-log';
import { AuditSealer } from '../audit/audit-sealer';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WEBHOOK_SECRET_PURPOSE, webhookSecretContext } from './webhook-secret';
import type { WebhookSettings } from './webhook-settings';
import { WebhooksService } from './webhooks.service';

/**
 * The outbox and the dispatcher on the real database: deliveries commit with their audit events, and
 * dispatchers running side by side never send the same attempt. Dispatchers serve every tenant of the
 * shared test database; each test checks its own tenant's rows.
 */
describe('webhook outbox and dispatcher', () => {
  const db = useMediumDatabase(6);
  const box = new SecretBox(randomBytes(32).toString('base64url'));
  const settings: WebhookSettings = { allowPrivateUrls: true, timeoutMs: 2000, retryBaseMs: 60_000, maxAttempts: 3 };
  const dispatcher = () => new WebhookDispatcher(db, box, settings, new WebhookDeliveryRepository());
  const dispatchers = [dispatcher(), dispatcher()] as const;
  const sealer = new AuditSealer(db, new AuditChainRepository(), new AuditEventRepository());
  const audit = new AuditLog(sealer, new AuditEventRepository(), new AuditChainRepository());
  // Seals run after commit: they finish before the file's pool closes.
  afterEach(() => sealer.drain());
  let tenantId: string;
  const received: Array<{ path: string; headers: IncomingHttpHeaders; body: string }> = [];
  const sentTo = (endpointId: string) => received.filter((r) => r.path === `/${endpointId}`);
  let server: Server;
  let url: string;

  const meta = { requestId: 'req_1', ip: '203.0.113.7' };
  const revoked = (tokenId: string): AuditEntry => ({
    action: 'token.revoked',
    actor: SYSTEM_ACTOR,
    target: { type: 'token', id: tokenId },
    data: { reason: 'test' },
  });

  /** An endpoint pointing at this file's receiver; its signing secret. */
  async function endpoint(id: string, events: string[], deleted = false): Promise<string> {
    const secret = generateWebhookSecret();
    const sealed = box.seal(WEBHOOK_SECRET_PURPOSE, webhookSecretContext(tenantId, id), secret);
    await createWebhookEndpoint(db, tenantId, { id, url: `${url}/${id}`, events, secretSealed: sealed, deleted });
    return secret;
  }

  const deliveries = (endpointId: string) => webhookDeliveriesOf(db, tenantId, endpointId);

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    tenantId = await createTenant(db, 'webhooks');
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('writes one delivery per subscribed live endpoint with the audit events, and none for events nobody announces', async () => {
    await endpoint('whk_outbox_all', ['token.revoked', 'token.expired']);
    await endpoint('whk_outbox_revoked_only', ['token.revoked']);
    await endpoint('whk_outbox_deleted', ['token.revoked', 'token.expired'], true);
    await db.tenant(tenantId, (tx) => audit.record(tx, meta, { action: 'token.issued', actor: SYSTEM_ACTOR, target: { type: 'token', id: 'tok_x' } }));
    expect(await deliveries('whk_outbox_all')).toEqual([]);

    await db.tenant(tenantId, (tx) =>
      audit.record(
        tx,
        meta,
        revoked('tok_1'),
        { action: 'token.rotation_completed', actor: SYSTEM_ACTOR, target: { type: 'token', id: 'tok_2' }, data: { from: 'rotating' }, webhookData: { jwe: 'eyJ…' } },
        { action: 'token.issued', actor: SYSTEM_ACTOR, target: { type: 'token', id: 'tok_3' } },
      ),
    );
    const all = await deliveries('whk_outbox_all');
    expect(all.map((d) => d.event_type).sort()).toEqual(['token.expired', 'token.revoked']);
    const expired = all.find((d) => d.event_type === 'token.expired')!;
    expect(expired.payload).toEqual({
      type: 'token.expired',
      timestamp: expect.any(String),
      data: { tokenId: 'tok_2', action: 'token.rotation_completed', actor: { type: 'system', id: null }, from: 'rotating', jwe: 'eyJ…' },
    });
    expect(expired).toMatchObject({ status: 'pending', attempts: 0, attempt_log: [] });
    const onlyRevoked = await deliveries('whk_outbox_revoked_only');
    expect(onlyRevoked.map((d) => d.event_type)).toEqual(['token.revoked']);
    // One message id per event, shared by the endpoints it goes to.
    expect(onlyRevoked[0]!.message_id).toBe(all.find((d) => d.event_type === 'token.revoked')!.message_id);
    expect(onlyRevoked[0]!.message_id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(await deliveries('whk_outbox_deleted')).toEqual([]);

    const auditData = (await auditTrailOf(db, tenantId)).find((e) => e.action === 'token.rotation_completed');
    expect(auditData!.data).toEqual({ from: 'rotating', ipNetwork: '203.0.113.0/24' });
  });

  it('writes no delivery when the change rolls back', async () => {
    await endpoint('whk_rollback', ['token.revoked']);
    await expect(
      db.tenant(tenantId, async (tx) => {
        await audit.record(tx, meta, revoked('tok_rolled_back'));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await deliveries('whk_rollback')).toEqual([]);
  });

  it('sends each delivery once when two dispatchers run at the same time', async () => {
    await endpoint('whk_race', ['token.suspended']);
    const entries = Array.from({ length: 30 }, (_, i): AuditEntry => ({
      action: 'token.suspended',
      actor: SYSTEM_ACTOR,
      target: { type: 'token', id: `tok_race_${i}` },
    }));
    await db.tenant(tenantId, (tx) => audit.record(tx, meta, ...entries));
    received.length = 0;
    // A budget no loaded CI machine runs out of: this is about sending once, and a dispatch that stops
    // at its budget (5 s by default) leaves the rest for the next run, which this test does not make.
    await Promise.all(dispatchers.map((d) => d.dispatch({ batchSize: 4, concurrency: 3, budgetMs: 25_000 })));
    const ids = sentTo('whk_race').map((r) => String(r.headers['webhook-id']));
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    const rows = await deliveries('whk_race');
    expect(rows.every((d) => d.status === 'delivered' && d.attempts === 1 && d.attempt_log.length === 1)).toBe(true);
  });

  it('leaves a claimed attempt alone until its lease ends, then sends it again (a worker died mid-send)', async () => {
    await endpoint('whk_lease', ['token.revoked']);
    await db.tenant(tenantId, (tx) => audit.record(tx, meta, revoked('tok_lease')));
    // A claim whose worker never came back: counted, leased for an hour, never recorded.
    await abandonWebhookClaim(db, tenantId, 'whk_lease');
    received.length = 0;
    await dispatchers[0].dispatch();
    expect(sentTo('whk_lease')).toHaveLength(0);

    await makeWebhookDeliveriesDue(db, tenantId, 'whk_lease');
    await dispatchers[1].dispatch();
    expect(sentTo('whk_lease')).toHaveLength(1);
    expect(await deliveries('whk_lease')).toMatchObject([{ status: 'delivered', attempts: 2, attempt_log: [{ status: 204 }] }]);
  });

  it.each(['deleted', 'disabled'] as const)(
    'cancels instead of sending a delivery whose endpoint was %s by a transaction that could not see it',
    async (state) => {
      const id = `whk_late_${state}`;
      await endpoint(id, ['token.revoked']);
      await db.tenant(tenantId, (tx) => audit.record(tx, meta, revoked(`tok_late_${state}`)));
      await markWebhookEndpoint(db, tenantId, id, state);
      received.length = 0;
      await dispatchers[0].dispatch();
      expect(sentTo(id)).toHaveLength(0);
      expect(await deliveries(id)).toMatchObject([{ status: 'cancelled', attempts: 0 }]);
    },
  );

  it('writes no delivery for a disabled endpoint', async () => {
    await endpoint('whk_outbox_disabled', ['token.revoked']);
    await markWebhookEndpoint(db, tenantId, 'whk_outbox_disabled', 'disabled');
    await db.tenant(tenantId, (tx) => audit.record(tx, meta, revoked('tok_while_disabled')));
    expect(await deliveries('whk_outbox_disabled')).toEqual([]);
  });

  it('signs with the new and the rotated-out secret during the grace period, then with the new one only', async () => {
    const webhooks = new WebhooksService(db, audit, box, settings, new WebhookEndpointRepository(), new WebhookDeliveryRepository());
    const admin = userPrincipal(tenantId, 'admin');
    const old = await endpoint('whk_rotated', ['token.revoked']);
    const verifies = (secret: string, r: { headers: IncomingHttpHeaders; body: string }) => {
      const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(r.headers[h])]));
      try {
        new Webhook(secret).verify(r.body, headers);
        return true;
      } catch {
        return false;
      }
    };

    const { secret: fresh } = await webhooks.rotateSecret(admin, 'whk_rotated', { gracePeriodSeconds: 3600 }, meta);
    await db.tenant(tenantId, (tx) => audit.record(tx, meta, revoked('tok_during_grace')));
    received.length = 0;
    await dispatchers[0].dispatch();
    const [during] = sentTo('whk_rotated');
    expect(String(during!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect([verifies(fresh, during!), verifies(old, during!)]).toEqual([true, true]);

    // Rotating again with no grace: only the newest secret signs; both earlier ones are refused.
    const { secret: newest } = await webhooks.rotateSecret(admin, 'whk_rotated', { gracePeriodSeconds: 0 }, meta);
    await db.tenant(tenantId, (tx) => audit.record(tx, meta, revoked('tok_after_grace')));
    received.length = 0;
    await dispatchers[0].dispatch();
    const [after] = sentTo('whk_rotated');
    expect(String(after!.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect([verifies(newest, after!), verifies(fresh, after!), verifies(old, after!)]).toEqual([true, false, false]);
  });
});
