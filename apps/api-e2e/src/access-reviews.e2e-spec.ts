import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import {
  ApiClient,
  createWebhook,
  invitedUser,
  issueToken,
  openCampaign,
  pollUntil,
  runCli,
  serviceKey,
  signupTenant,
  startApi,
  startWebhookReceiver,
  startWorker,
  tenantJwks,
  uniqueEmail,
  verifyAuditChain,
  type CampaignBody,
  type RunningApi,
  type RunningProcess,
  type TestTenant,
  type WebhookReceiver,
} from '@custos/testing';

interface ItemBody {
  id: string;
  tokenId: string;
  tokenScopes: string[];
  scopesUsed90d: string[];
  scopesUnused90d: string[];
  reviewerUserId: string | null;
  status: string;
  decision: string | null;
  effect: string | null;
}

interface Problem {
  code: string;
  errors?: { field: string; message: string }[];
}

// @runsAlone: it starts a worker on the run's database, whose sweeps act on every tenant in it (npm test runs it after the rest, by itself).
/**
 * Access reviews over HTTP, black-box, with a real worker: a campaign over all tokens, keep, narrow and
 * revoke taking effect at verify, a steward's own queue, the overdue pass suspending what nobody
 * decided, and the signed campaign report that the CLI verifies offline.
 */
describe('access reviews', () => {
  const prefix = `{custos-reviews-${randomUUID().slice(0, 8)}}`;
  let server: RunningApi;
  let worker: RunningProcess;
  let tenant: TestTenant;
  let verifier: ApiClient;
  let readerKey: string;
  let receiver: WebhookReceiver;
  let webhookSecret: string;

  beforeAll(async () => {
    server = await startApi({ CUSTOS_QUEUE_PREFIX: prefix });
    worker = await startWorker({ CUSTOS_QUEUE_PREFIX: prefix, CUSTOS_SWEEP_INTERVAL_MS: '300', CUSTOS_AUDIT_SEAL_INTERVAL_MS: '200', CUSTOS_WEBHOOK_INTERVAL_MS: '200' });
    tenant = await signupTenant(new ApiClient(server.url), 'Reviews');
    verifier = (await serviceKey(tenant, ['custos:tokens:verify'])).client;
    readerKey = (await serviceKey(tenant, ['custos:reports:read'])).issued.secret;
    receiver = await startWebhookReceiver({ name: 'reviews' });
    webhookSecret = (await createWebhook(tenant.owner, receiver.url, ['review.reminder', 'review.overdue'])).secret;
  }, 60_000);

  afterAll(async () => {
    await worker?.stop();
    await server?.stop();
    await receiver?.close();
  });

  const verify = async (secret: string, scopes: string[] = []) => ((await verifier.post('/v1/verify', { token: secret, scopes })).body as { code: string }).code;
  const itemsOf = async (client: ApiClient, query: string) => (await client.get<{ items: ItemBody[] }>(`/v1/access-reviews/items?limit=200&${query}`)).body.items;
  const decide = (client: ApiClient, item: ItemBody, body: Record<string, unknown>) => client.post<ItemBody & Problem>(`/v1/access-reviews/items/${item.id}/decision`, body);

  it("reports which of a token's scopes were used in 90 days: asked for by verify, or a service key's on the API", async () => {
    const token = await issueToken(tenant.owner, { name: 'scoped', scopes: ['orders:read', 'orders:write'] });
    expect(await verify(token.secret, ['orders:read'])).toBe('VALID');
    const usage = await pollUntil(
      async () => (await tenant.owner.get<{ scopesUsed90d: string[]; scopesUnused90d: string[] }>(`/v1/tokens/${token.token.id}/usage`)).body,
      (u) => u.scopesUsed90d.length > 0,
      { timeoutMs: 5_000 },
    );
    expect(usage).toMatchObject({ scopesUsed90d: ['orders:read'], scopesUnused90d: ['orders:write'] });

    // A service key's custos scopes are used by calling the API: the route's scope counts as used.
    const reader = await serviceKey(tenant, ['custos:tokens:read', 'custos:audit:read']);
    expect((await reader.client.get('/v1/tokens?limit=1')).status).toBe(200);
    const keyUsage = await pollUntil(
      async () => (await tenant.owner.get<{ scopesUsed90d: string[]; scopesUnused90d: string[] }>(`/v1/tokens/${reader.issued.token.id}/usage`)).body,
      (u) => u.scopesUsed90d.length > 0,
      { timeoutMs: 5_000 },
    );
    expect(keyUsage).toMatchObject({ scopesUsed90d: ['custos:tokens:read'], scopesUnused90d: ['custos:audit:read'] });
  });

  it('reviews every active token once; keep, narrow and revoke take effect at verify; the report verifies offline', async () => {
    const kept = await issueToken(tenant.owner, { name: 'kept', scopes: ['orders:read'] });
    const narrowed = await issueToken(tenant.owner, { name: 'narrowed', scopes: ['orders:read', 'orders:write'] });
    const revoked = await issueToken(tenant.owner, { name: 'revoked', scopes: ['orders:read'] });
    const suspended = await issueToken(tenant.owner, { name: 'suspended' });
    expect((await tenant.owner.post(`/v1/tokens/${suspended.token.id}/suspend`, {})).status).toBe(200);
    const active = (await tenant.owner.get<{ items: { id: string }[] }>('/v1/tokens?status=active&limit=200')).body.items.map((t) => t.id);

    const campaign = await openCampaign(tenant.owner, { name: 'Q4 review', scope: { all: true } });
    const later = await issueToken(tenant.owner, { name: 'issued after the campaign opened' });
    const items = await itemsOf(tenant.owner, `campaignId=${campaign.id}`);
    expect(items.map((i) => i.tokenId).sort()).toEqual([...active].sort());
    expect(items.map((i) => i.tokenId)).not.toContain(suspended.token.id);
    expect(items.map((i) => i.tokenId)).not.toContain(later.token.id);
    expect(campaign.progress).toMatchObject({ total: active.length, pending: active.length });

    const item = (token: { token: { id: string } }) => items.find((i) => i.tokenId === token.token.id)!;
    // The owner issued them, so stewards them, and reviews them.
    expect(item(kept).reviewerUserId).toBe(tenant.ownerId);

    expect((await decide(tenant.owner, item(kept), { decision: 'keep', comment: 'still used by billing' })).body).toMatchObject({ status: 'decided', effect: 'attested' });
    const adding = await decide(tenant.owner, item(narrowed), { decision: 'narrow', scopes: ['orders:read', 'admin:all'], comment: 'sneaking a scope in' });
    expect([adding.status, adding.body.code]).toEqual([403, 'SCOPE_ESCALATION']);
    expect((await decide(tenant.owner, item(narrowed), { decision: 'narrow', scopes: ['orders:read'], comment: 'write unused' })).body).toMatchObject({
      decision: 'narrow',
      effect: 'narrowed: removed orders:write',
    });
    expect((await decide(tenant.owner, item(revoked), { decision: 'revoke', comment: 'nobody owns this' })).body).toMatchObject({ decision: 'revoke', effect: 'revoked' });
    const twice = await decide(tenant.owner, item(kept), { decision: 'revoke', comment: 'changed my mind' });
    expect([twice.status, twice.body.code]).toEqual([409, 'CONFLICT']);

    expect(await verify(kept.secret, ['orders:read'])).toBe('VALID');
    expect(await verify(narrowed.secret, ['orders:write'])).toBe('INSUFFICIENT_SCOPE');
    expect(await verify(narrowed.secret, ['orders:read'])).toBe('VALID');
    expect(await verify(revoked.secret)).toBe('REVOKED');
    const revokedToken = (await tenant.owner.get<{ revokedReason: string }>(`/v1/tokens/${revoked.token.id}`)).body;
    expect(revokedToken.revokedReason).toBe(`access review: Q4 review (${campaign.id})`);

    // Bulk keep for the rest.
    const rest = (await itemsOf(tenant.owner, `campaignId=${campaign.id}&status=pending`)).map((i) => i.id);
    const bulk = await tenant.owner.post<{ items: ItemBody[] }>('/v1/access-reviews/items/keep', { itemIds: rest, comment: 'reviewed together' });
    expect(bulk.status).toBe(200);
    expect(bulk.body.items.every((i) => i.decision === 'keep')).toBe(true);

    const closed = await tenant.owner.post<{ campaign: CampaignBody; reportId: string; reportIds: Record<string, string> }>(`/v1/access-reviews/${campaign.id}/close`, {});
    expect(closed.status).toBe(200);
    expect(closed.body.campaign).toMatchObject({ status: 'closed', progress: { total: active.length, pending: 0, decided: { keep: active.length - 2, narrow: 1, revoke: 1 } } });

    const report = await pollUntil(
      async () => (await tenant.owner.get<{ status: string; campaignId: string; framework: string | null }>(`/v1/reports/${closed.body.reportId}`)).body,
      (r) => r.status === 'done' || r.status === 'failed',
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(report).toMatchObject({ status: 'done', campaignId: campaign.id, framework: null });
    const download = await fetch(`${server.url}/v1/reports/${closed.body.reportId}/download`, { headers: { authorization: `Bearer ${readerKey}` } });
    expect(download.status).toBe(200);
    const bytes = Buffer.from(await download.arrayBuffer());
    const body = JSON.parse(bytes.toString('utf8')) as { report: { frameworkName: string }; controls: { id: string; evidence: { subject: string; data: Record<string, unknown> }[] }[] };
    expect(body.report.frameworkName).toBe('Access review: Q4 review');
    const rows = body.controls[0]!.evidence;
    expect(rows).toHaveLength(active.length);
    expect(rows.find((r) => r.subject === narrowed.token.id)!.data).toMatchObject({ decision: 'narrow', decidedScopes: 'orders:read', comment: 'write unused', decidedBy: tenant.ownerId });

    const files = await mkdtemp(join(tmpdir(), 'custos-review-'));
    try {
      await writeFile(join(files, 'review.json'), bytes);
      await writeFile(join(files, 'review.json.jws'), download.headers.get('x-custos-signature')!);
      await writeFile(join(files, 'jwks.json'), JSON.stringify(await tenantJwks(tenant.owner)));
      const cli = await runCli(['report', 'verify', join(files, 'review.json'), '--signature', join(files, 'review.json.jws'), '--jwks', join(files, 'jwks.json')]);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      expect({ code: cli.code, out: cli.stdout.trim() }).toEqual({ code: 0, out: `OK sha256 ${sha256}, signed with kid ${download.headers.get('x-custos-signing-kid')}` });
    } finally {
      await rm(files, { recursive: true, force: true });
    }
  });

  it("gives a steward their own queue and nobody else's items", async () => {
    const email = uniqueEmail('steward');
    const invited = await invitedUser(tenant.owner, 'viewer', email);
    const created = { body: { id: invited.id } };
    const steward = invited.client;
    const scope = `queue:${randomUUID().slice(0, 8)}`;
    const theirs = await issueToken(tenant.owner, { name: 'stewarded', scopes: [scope], stewardUserId: created.body.id });
    const others = await issueToken(tenant.owner, { name: 'not theirs', scopes: [scope] });
    const campaign = await openCampaign(tenant.owner, { scope: { scopesAny: [scope] } });

    const queue = await itemsOf(steward, 'assignedTo=me');
    expect(queue.map((i) => i.tokenId)).toEqual([theirs.token.id]);
    const other = (await itemsOf(tenant.owner, `campaignId=${campaign.id}`)).find((i) => i.tokenId === others.token.id)!;
    const refused = await decide(steward, other, { decision: 'revoke', comment: 'not mine to decide' });
    expect([refused.status, refused.body.code]).toEqual([403, 'FORBIDDEN']);
    expect(await verify(others.secret)).toBe('VALID');
    expect((await decide(steward, queue[0]!, { decision: 'keep', comment: 'I own it' })).body).toMatchObject({ decision: 'keep' });

    // Nobody grants the steward more than deciding: they still cannot open or close campaigns.
    expect((await steward.post(`/v1/access-reviews/${campaign.id}/close`, {})).status).toBe(403);

    // A steward is removed only with a successor.
    const removal = await tenant.owner.delete<Problem>(`/v1/users/${created.body.id}`);
    expect([removal.status, removal.body.code]).toEqual([409, 'CONFLICT']);
  });

  it('at the due date suspends what nobody decided, sends review.reminder and review.overdue, and closes the campaign', async () => {
    const scope = `overdue:${randomUUID().slice(0, 8)}`;
    const decided = await issueToken(tenant.owner, { name: 'decided in time', scopes: [scope] });
    const forgotten = await issueToken(tenant.owner, { name: 'forgotten', scopes: [scope] });
    const campaign = await openCampaign(tenant.owner, {
      name: 'due in seconds',
      scope: { scopesAny: [scope] },
      dueAt: new Date(Date.now() + 4_000).toISOString(),
      onOverdue: 'suspend',
    });
    const items = await itemsOf(tenant.owner, `campaignId=${campaign.id}`);
    await decide(tenant.owner, items.find((i) => i.tokenId === decided.token.id)!, { decision: 'keep', comment: 'in time' });

    const done = await pollUntil(
      async () => (await tenant.owner.get<CampaignBody>(`/v1/access-reviews/${campaign.id}`)).body,
      (c) => c.status === 'closed',
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(done.progress).toMatchObject({ total: 2, overdue: 1, decided: { keep: 1 } });
    expect(Object.keys(done.reportIds!).sort()).toEqual(['csv', 'json', 'pdf']);
    expect(await verify(forgotten.secret)).toBe('SUSPENDED');
    expect(await verify(decided.secret)).toBe('VALID');
    const overdueItem = (await itemsOf(tenant.owner, `campaignId=${campaign.id}&status=overdue`))[0];
    expect(overdueItem).toMatchObject({ tokenId: forgotten.token.id, effect: 'suspended' });

    const webhook = new Webhook(webhookSecret);
    const events = await pollUntil(
      () => Promise.resolve(receiver.received.map((r) => webhook.verify(r.body, r.headers as Record<string, string>) as { type: string; data: { campaignId?: string } })),
      (all) => all.some((e) => e.type === 'review.overdue' && e.data.campaignId === campaign.id),
      { timeoutMs: 10_000 },
    );
    expect(events.filter((e) => e.data.campaignId === campaign.id).map((e) => e.type)).toEqual(['review.reminder', 'review.overdue']);
    const report = await pollUntil(
      async () => (await tenant.owner.get<{ status: string }>(`/v1/reports/${done.reportIds!.pdf}`)).body,
      (r) => r.status === 'done' || r.status === 'failed',
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(report.status).toBe('done');
  });

  it('keeps the audit chain valid through reviews', async () => {
    const verdict = await pollUntil(() => verifyAuditChain(tenant.owner), (v) => v.valid, { timeoutMs: 10_000 });
    expect(verdict.checkedEvents).toBeGreaterThan(20);
  });
});
