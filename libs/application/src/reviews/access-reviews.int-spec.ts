import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Test, type TestingModule } from '@nestjs/testing';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { PasswordHasher, SecretBox, TokenHasher } from '@custos/crypto';
import { auditEventsOf, createUser, newComplianceTenant, seedToken, useMediumDatabase, type FixtureUser } from '@custos/fixtures';
import { AccessReviewRepository, ComplianceRepository, Database, PersistenceModule, ReportRepository } from '@custos/persistence';
import { UsersService } from '../accounts/users.service';
import { AuditLog } from '../audit/audit-log';
import { AuditSealer } from '../audit/audit-sealer';
import { SigningKeys } from '../audit/signing-keys';
import { contextFor } from '../compliance/compliance-evaluator';
import { accessReviewsControl } from '../compliance/controls/access-reviews.control';
import { ReportGenerator } from '../compliance/report-generator';
import { REPORT_QUEUE } from '../compliance/reports.service';
import { PolicyService } from '../policy/policy.service';
import { APPLICATION_SETTINGS, type ApplicationSettings } from '../shared/settings';
import { Stewards } from '../stewards/stewards';
import { TokenEditor } from '../tokens/token-editor.service';
import { TokenLifecycle } from '../tokens/token-lifecycle.service';
import { TokenCache } from '../verify/token-cache';
import { TokenChanges } from '../feed/token-changes';
import { AccessReviewsService } from './access-reviews.service';
import { ReviewCampaigns } from './review-campaigns';
import { ReviewDecisions } from './review-decisions';
import { ReviewScheduler } from './review-scheduler';

const settings: ApplicationSettings = { verifyCacheTtlMs: 0, sessionTtlSeconds: 60, usageFlushIntervalMs: 60_000, loginMinResponseMs: 0 };
const DAY = 86_400_000;
const meta = { requestId: 'req-reviews', ip: null };

/** Access reviews with their real collaborators and repositories, wired as the api and worker wire them. */
function reviewsModule(queued: string[]): Promise<TestingModule> {
  return Test.createTestingModule({
    imports: [PersistenceModule.forRoot({ url: process.env.TEST_DATABASE_URL!, poolSize: 4, applicationName: 'custos-reviews-medium' })],
    providers: [
      { provide: APPLICATION_SETTINGS, useValue: settings },
      { provide: TokenHasher, useValue: new TokenHasher({ id: 'p_reviews', secret: 'a pepper for the medium tests of reviews' }) },
      { provide: SecretBox, useValue: new SecretBox(process.env.CUSTOS_TEST_MASTER_KEY!) },
      { provide: REPORT_QUEUE, useValue: { enqueue: async (job: { reportId: string }) => void queued.push(job.reportId) } },
      AuditSealer, AuditLog, PolicyService, TokenCache, TokenChanges, Stewards, TokenEditor, TokenLifecycle, SigningKeys, ReportGenerator,
      ReviewCampaigns, ReviewDecisions, AccessReviewsService, ReviewScheduler, UsersService,
      { provide: PasswordHasher, useValue: new PasswordHasher() },
    ],
  }).compile();
}

/**
 * Campaigns on the real database: who reviews what, the schedule opening each period's campaign once
 * however many workers run it, reminders and overdue actions once, and the control that reads them.
 */
describe('access reviews (real database)', () => {
  const db = useMediumDatabase();
  const queued: string[] = [];
  let app: TestingModule;
  let reviews: AccessReviewsService;
  let scheduler: ReviewScheduler;
  let reviewDb: Database;

  beforeAll(async () => {
    app = await reviewsModule(queued);
    reviews = app.get(AccessReviewsService);
    scheduler = app.get(ReviewScheduler);
    reviewDb = app.get(Database);
  });
  afterAll(async () => {
    await app.get(AuditSealer).drain();
    await app.close();
  });

  async function tenantWith(): Promise<{ tenantId: string; owner: FixtureUser; admin: FixtureUser; viewer: FixtureUser }> {
    const tenantId = await newComplianceTenant(db);
    const [owner, admin, viewer] = [await createUser(db, tenantId, 'owner'), await createUser(db, tenantId, 'admin'), await createUser(db, tenantId, 'viewer')];
    return { tenantId, owner, admin, viewer };
  }

  const itemsOf = (tenantId: string, campaignId: string) =>
    reviewDb.tenant(tenantId, (tx) => new AccessReviewRepository().campaignItems(tx, campaignId, null, 1000));

  it("assigns each item to the token's steward; under separation of duties a self-issued token goes to the owners and admins", async () => {
    const { tenantId, owner, viewer } = await tenantWith();
    await seedToken(db, tenantId, 'tok_viewers', { createdBy: owner.id, steward: viewer.id });
    await seedToken(db, tenantId, 'tok_self', { createdBy: viewer.id, steward: viewer.id });
    await seedToken(db, tenantId, 'tok_gone', { status: 'revoked', steward: viewer.id });
    await reviews.create(owner.principal, { name: 'plain', scope: { all: true }, dueAt: new Date(Date.now() + DAY), reviewer: 'steward' }, meta);
    await app.get(PolicyService).replace(owner.principal, { ...(await app.get(PolicyService).get(owner.principal)), reviews: { separationOfDuties: true } }, meta);
    const separated = await reviews.create(owner.principal, { name: 'separated', scope: { all: true }, dueAt: new Date(Date.now() + DAY), reviewer: 'steward' }, meta);

    const items = await itemsOf(tenantId, separated.id);
    expect(items.map((i) => [i.tokenId, i.reviewerUserId]).sort()).toEqual([
      ['tok_self', null],
      ['tok_viewers', viewer.id],
    ]);
    // The viewer's queue holds their token, not the self-issued one; an admin's holds the self-issued one.
    const queue = await reviews.items(viewer.principal, { campaignId: separated.id, assignedTo: 'me', limit: 50 });
    expect(queue.items.map((i) => i.tokenId)).toEqual(['tok_viewers']);
    const selfIssued = items.find((i) => i.tokenId === 'tok_self')!;
    await expect(reviews.decide(viewer.principal, selfIssued.id, { decision: 'keep', comment: 'mine' }, meta)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await reviews.decide(owner.principal, selfIssued.id, { decision: 'keep', comment: 'checked' }, meta)).toMatchObject({ decision: 'keep', decidedBy: owner.id });
  });

  it('refuses a narrowing that adds a scope or removes them all, and changes nothing', async () => {
    const { tenantId, owner } = await tenantWith();
    await seedToken(db, tenantId, 'tok_wide', { scopes: ['orders:read', 'orders:write'], createdBy: owner.id });
    const campaign = await reviews.create(owner.principal, { name: 'narrowing', scope: { scopesAny: ['orders:write'] }, dueAt: new Date(Date.now() + DAY), reviewer: 'steward' }, meta);
    const [item] = await itemsOf(tenantId, campaign.id);
    await expect(reviews.decide(owner.principal, item!.id, { decision: 'narrow', scopes: ['orders:read', 'orders:delete'], comment: 'x' }, meta)).rejects.toMatchObject({ code: 'SCOPE_ESCALATION' });
    await expect(reviews.decide(owner.principal, item!.id, { decision: 'narrow', scopes: [], comment: 'x' }, meta)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(reviews.decide(owner.principal, item!.id, { decision: 'keep', scopes: ['orders:read'], comment: 'x' }, meta)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await itemsOf(tenantId, campaign.id))[0]).toMatchObject({ status: 'pending', decision: null });
    const narrowed = await reviews.decide(owner.principal, item!.id, { decision: 'narrow', scopes: ['orders:read'], comment: 'write unused' }, meta);
    expect(narrowed).toMatchObject({ effect: 'narrowed: removed orders:write' });
    const updated = (await auditEventsOf(db, tenantId, 'token.updated'))[0]!;
    expect(updated.data).toMatchObject({ changed: ['scopes'], before: { scopes: ['orders:read', 'orders:write'] }, after: { scopes: ['orders:read'] } });
  });

  it('opens the scheduled campaign once per period however many workers run, reminds once, and at the due date revokes what is undecided', async () => {
    const { tenantId, owner } = await tenantWith();
    await seedToken(db, tenantId, 'tok_decided', { createdBy: owner.id });
    await seedToken(db, tenantId, 'tok_forgotten', { createdBy: owner.id });
    const policies = app.get(PolicyService);
    await policies.replace(owner.principal, { ...(await policies.get(owner.principal)), reviews: { intervalDays: 30, dueInDays: 7, onOverdue: 'revoke', remindBeforeDays: 2 } }, meta);
    const now = new Date(Date.now() + 1000);

    await Promise.all([scheduler.run(now), scheduler.run(now), scheduler.run(now)]);
    const opened = await reviews.list(owner.principal, { limit: 10 });
    expect(opened.items).toHaveLength(1);
    const campaign = opened.items[0]!;
    expect(campaign).toMatchObject({ createdBy: 'system', onOverdue: 'revoke', progress: { total: 2, pending: 2 } });
    expect(Date.parse(campaign.dueAt) - now.getTime()).toBe(7 * DAY);
    await scheduler.run(new Date(now.getTime() + DAY));
    expect((await reviews.list(owner.principal, { limit: 10 })).items).toHaveLength(1);

    // Five days in, two before the due date: one reminder, however many runs.
    await Promise.all([scheduler.run(new Date(now.getTime() + 5 * DAY + 1000)), scheduler.run(new Date(now.getTime() + 5 * DAY + 1000))]);
    expect(await auditEventsOf(db, tenantId, 'review.reminder')).toHaveLength(1);

    const items = await itemsOf(tenantId, campaign.id);
    await reviews.decide(owner.principal, items.find((i) => i.tokenId === 'tok_decided')!.id, { decision: 'keep', comment: 'needed' }, meta);
    const runs = await Promise.all([scheduler.run(new Date(now.getTime() + 7 * DAY + 1000)), scheduler.run(new Date(now.getTime() + 7 * DAY + 1000))]);
    // One of the runs closed it and hands its three reports to the report queue; the worker's job generates them.
    const queuedReports = runs.flatMap((r) => r.reports);
    expect(queuedReports).toHaveLength(3);
    for (const job of queuedReports) expect(await app.get(ReportGenerator).generate(job.tenantId, job.reportId)).toMatchObject({ status: 'done' });
    const closed = await reviews.get(owner.principal, campaign.id);
    expect(closed).toMatchObject({ status: 'closed', closedBy: 'system', progress: { overdue: 1, decided: { keep: 1 } } });
    expect(await auditEventsOf(db, tenantId, 'review.overdue')).toHaveLength(1);
    const revoked = await auditEventsOf(db, tenantId, 'token.revoked');
    expect(revoked.map((e) => [e.targetId, e.data.reason])).toEqual([['tok_forgotten', `access review: ${campaign.name} (${campaign.id})`]]);
    const reports = await reviewDb.tenant(tenantId, (tx) => Promise.all(Object.values(closed.reportIds!).map((id) => new ReportRepository().find(tx, id))));
    expect(reports.map((r) => [r!.format, r!.status, r!.campaignId]).sort()).toEqual([
      ['csv', 'done', campaign.id],
      ['json', 'done', campaign.id],
      ['pdf', 'done', campaign.id],
    ]);

    // The JSON report is the compliance report format: the published schema holds for it.
    const json = await reviewDb.tenant(tenantId, async (tx) => {
      const parts: Buffer[] = [];
      for (let part = 0; ; part++) {
        const data = await new ReportRepository().part(tx, closed.reportIds!.json!, part);
        if (!data) return Buffer.concat(parts).toString('utf8');
        parts.push(data);
      }
    });
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'compliance-report.schema.json'), 'utf8')) as object);
    const body = JSON.parse(json) as { report: { framework: null; frameworkName: string }; controls: { evidence: { subject: string; data: Record<string, unknown> }[] }[] };
    expect(validate(body) ? [] : validate.errors).toEqual([]);
    expect(body.report).toMatchObject({ framework: null, frameworkName: `Access review: ${campaign.name}` });
    expect(body.controls[0]!.evidence.map((e) => [e.subject, e.data.status, e.data.effect]).sort()).toEqual([
      ['tok_decided', 'decided', 'attested'],
      ['tok_forgotten', 'overdue', 'revoked'],
    ]);

    // The next period opens the next campaign.
    await scheduler.run(new Date(now.getTime() + 30 * DAY + 1000));
    expect((await reviews.list(owner.principal, { limit: 10 })).items).toHaveLength(2);
  });

  it('access-reviews-on-schedule: warns without campaigns, passes when all were decided in time, fails on overdue items', async () => {
    const { tenantId, owner } = await tenantWith();
    const compliance = new ComplianceRepository();
    const control = accessReviewsControl(compliance);
    const assess = (at: Date) =>
      reviewDb.tenant(tenantId, async (tx) => {
        const ctx = await contextFor(compliance, tx, { from: new Date(Date.now() - DAY), to: new Date(Date.now() + 60 * DAY) }, at);
        return { ...(await control.assess(tx, ctx)), rows: await control.evidence(tx, ctx, null, 10) };
      });
    expect(await assess(new Date())).toMatchObject({ status: 'warn', evidenceCount: 0 });

    await seedToken(db, tenantId, 'tok_reviewed', { createdBy: owner.id, scopes: ['a:read'] });
    const onTime = await reviews.create(owner.principal, { name: 'on time', scope: { scopesAny: ['a:read'] }, dueAt: new Date(Date.now() + DAY), reviewer: 'steward' }, meta);
    await reviews.keepAll(owner.principal, (await itemsOf(tenantId, onTime.id)).map((i) => i.id), 'all needed', meta);
    await reviews.close(owner.principal, onTime.id, meta);
    expect(queued).toEqual(expect.arrayContaining(Object.values((await reviews.get(owner.principal, onTime.id)).reportIds!)));
    expect(await assess(new Date())).toMatchObject({ status: 'pass', evidenceCount: 1, rows: [{ subject: onTime.id, data: { onTime: true, decided: 1 } }] });

    await seedToken(db, tenantId, 'tok_ignored', { createdBy: owner.id, scopes: ['b:read'] });
    const late = await reviews.create(owner.principal, { name: 'ignored', scope: { scopesAny: ['b:read'] }, dueAt: new Date(Date.now() + 2 * DAY), reviewer: 'steward', onOverdue: 'none' }, meta);
    await scheduler.run(new Date(Date.now() + 3 * DAY));
    const result = await assess(new Date(Date.now() + 3 * DAY));
    expect(result).toMatchObject({ status: 'fail', metrics: { campaigns: 2, late: 1, overdueItems: 1 } });
    expect(result.rows.find((r) => r.subject === late.id)).toMatchObject({ data: { onTime: false, overdue: 1 } });
  });

  it('removes a named reviewer only with a successor, who takes over their pending items', async () => {
    const { tenantId, owner, admin, viewer } = await tenantWith();
    await seedToken(db, tenantId, 'tok_owned', { createdBy: owner.id });
    const campaign = await reviews.create(owner.principal, { name: 'by one reviewer', scope: { all: true }, dueAt: new Date(Date.now() + DAY), reviewer: { userId: viewer.id } }, meta);
    const users = app.get(UsersService);
    await expect(users.remove(owner.principal, viewer.id, meta)).rejects.toMatchObject({
      code: 'CONFLICT',
      fieldErrors: [{ field: 'successor', message: 'is required: the user stewards 0 tokens and 0 services, and reviews 1 pending access review item' }],
    });
    await users.remove(owner.principal, viewer.id, meta, admin.id);
    expect((await itemsOf(tenantId, campaign.id)).map((i) => i.reviewerUserId)).toEqual([admin.id]);
  });

  it("keeps another tenant's campaigns and items out of reach", async () => {
    const a = await tenantWith();
    const b = await tenantWith();
    await seedToken(db, a.tenantId, 'tok_a', { createdBy: a.owner.id });
    const campaign = await reviews.create(a.owner.principal, { name: 'a only', scope: { all: true }, dueAt: new Date(Date.now() + DAY), reviewer: 'steward' }, meta);
    const [item] = await itemsOf(a.tenantId, campaign.id);
    await expect(reviews.get(b.owner.principal, campaign.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(reviews.decide(b.owner.principal, item!.id, { decision: 'revoke', comment: 'not yours' }, meta)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await reviews.items(b.owner.principal, { limit: 50 })).items).toEqual([]);
  });
});
