import { CONSENT_WITHDRAWN_REASON } from '@custos/contracts';
import { auditEventsOn, createTenant, lastWriterOf, seedBoundToken, tokenStates, useMediumDatabase } from '@custos/fixtures';
import { ActorRepository, BoundTokenRepository, ConsentRepository } from '@custos/persistence';
import { auditOn } from '../testing/audit-on';
import type { Principal } from '../auth/principal';
import { TokenCache, type InvalidationPublisher } from '../verify/token-cache';
import { TokenChanges } from '../feed/token-changes';
import { ConsentsService, type ConsentInput } from './consents.service';

/** What the other api instances are told to drop, as the api's Redis publisher would send it. */
class RecordingPublisher implements InvalidationPublisher {
  readonly published: string[][] = [];
  async publish(lookupIds: readonly string[]): Promise<void> {
    this.published.push([...lookupIds]);
  }
}

const DAY = 86400_000;

function principalOf(tenantId: string, scopes: string[] = ['custos:consents:read', 'custos:consents:write']): Principal {
  return { tenantId, kind: 'user', id: 'usr_consents', email: null, name: null, scopes, role: 'admin', ownerServiceId: null, sessionId: null };
}

function consentInput(overrides: Partial<ConsentInput> = {}): ConsentInput {
  return {
    subjectRef: 'subj_42',
    purpose: 'care',
    dataCategories: ['health', 'personal', 'health'],
    lawfulBasis: 'consent',
    jurisdiction: 'EU',
    validFrom: new Date(Date.now() - DAY),
    validUntil: new Date(Date.now() + 30 * DAY),
    ...overrides,
  };
}

/** ConsentsService on the real database through its repositories: recording, renewing, withdrawing, tenant isolation. */
describe('ConsentsService', () => {
  const db = useMediumDatabase();
  const { audit, sealer } = auditOn(db);
  const meta = { requestId: 'req-consents', ip: null };
  // Seals run after commit without being awaited: none may still hold a chain head (or the pool) when the next step starts.
  afterEach(() => sealer.drain());

  function service(): { consents: ConsentsService; publisher: RecordingPublisher; cache: TokenCache } {
    const publisher = new RecordingPublisher();
    const cache = new TokenCache({ verifyCacheTtlMs: 30_000, sessionTtlSeconds: 1, usageFlushIntervalMs: 1, loginMinResponseMs: 0 }, publisher);
    return { consents: new ConsentsService(db, audit, new TokenChanges(cache), new ConsentRepository(), new BoundTokenRepository(), new ActorRepository()), publisher, cache };
  }

  it('records a consent with its first version and its audit event, categories once each', async () => {
    const { consents } = service();
    const tenantId = await createTenant(db);
    const created = await consents.create(principalOf(tenantId), consentInput(), meta);
    expect(created).toMatchObject({ subjectRef: 'subj_42', dataCategories: ['health', 'personal'], status: 'active', version: 1, boundTokens: 0 });
    const detail = await consents.get(principalOf(tenantId), created.id);
    expect(detail.versions).toEqual([expect.objectContaining({ version: 1, supersedesId: null, validUntil: created.validUntil })]);
    expect((await auditEventsOn(db, tenantId, [created.id])).map((e) => e.action)).toEqual(['consent.created']);
  });

  it('refuses a window that ends before it starts, and malformed categories', async () => {
    const { consents } = service();
    const tenantId = await createTenant(db);
    await expect(consents.create(principalOf(tenantId), consentInput({ validUntil: new Date(Date.now() - 2 * DAY) }), meta)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(consents.create(principalOf(tenantId), consentInput({ dataCategories: ['Health Data'] }), meta)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect((await consents.list(principalOf(tenantId), { limit: 10 })).items).toEqual([]);
  });

  it('lists newest window first in keyset pages, and by status', async () => {
    const { consents } = service();
    const tenantId = await createTenant(db);
    const older = await consents.create(principalOf(tenantId), consentInput({ validFrom: new Date(Date.now() - 3 * DAY) }), meta);
    const newer = await consents.create(principalOf(tenantId), consentInput({ validFrom: new Date(Date.now() - DAY) }), meta);
    const upcoming = await consents.create(principalOf(tenantId), consentInput({ validFrom: new Date(Date.now() + DAY) }), meta);
    const first = await consents.list(principalOf(tenantId), { limit: 2 });
    expect(first.items.map((c) => c.id)).toEqual([upcoming.id, newer.id]);
    const second = await consents.list(principalOf(tenantId), { limit: 2, cursor: first.nextCursor! });
    expect(second).toEqual({ items: [expect.objectContaining({ id: older.id })], nextCursor: null });
    expect((await consents.list(principalOf(tenantId), { limit: 10, status: 'upcoming' })).items.map((c) => c.id)).toEqual([upcoming.id]);
  });

  it("renews with a new version that supersedes the old one, and drops the bound tokens' cached windows everywhere", async () => {
    const { consents, publisher } = service();
    const tenantId = await createTenant(db);
    const consent = await consents.create(principalOf(tenantId), consentInput(), meta);
    const live = await seedBoundToken(db, tenantId, consent.id);
    await seedBoundToken(db, tenantId, consent.id, { status: 'revoked' });
    const until = new Date(Date.now() + 60 * DAY);
    const renewed = await consents.renew(principalOf(tenantId), consent.id, { validUntil: until }, meta);
    expect(renewed).toMatchObject({ version: 2, validUntil: until.toISOString(), boundTokens: 2 });
    const { versions } = await consents.get(principalOf(tenantId), consent.id);
    expect(versions.map((v) => [v.version, v.validUntil])).toEqual([
      [1, consent.validUntil],
      [2, until.toISOString()],
    ]);
    expect(versions[1]!.supersedesId).toBe(versions[0]!.id);
    expect(publisher.published).toEqual([[live.lookupId]]);
    await expect(consents.renew(principalOf(tenantId), consent.id, { validUntil: new Date(Date.now() + 40 * DAY) }, meta)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('withdraws: every live bound token is revoked in the same transaction as the withdrawal and its audit events, then dropped from every cache', async () => {
    const { consents, publisher, cache } = service();
    const tenantId = await createTenant(db);
    const consent = await consents.create(principalOf(tenantId), consentInput(), meta);
    const active = await seedBoundToken(db, tenantId, consent.id);
    const suspended = await seedBoundToken(db, tenantId, consent.id, { status: 'suspended' });
    const expired = await seedBoundToken(db, tenantId, consent.id, { status: 'expired' });
    const generation = cache.generation;
    await sealer.drain();

    const withdrawal = await consents.withdraw(principalOf(tenantId), consent.id, { reason: 'asked by the subject' }, meta);

    expect(withdrawal).toMatchObject({ revokedTokens: 2, consent: { status: 'withdrawn', withdrawnReason: 'asked by the subject' } });
    expect(await tokenStates(db, tenantId, [active.id, suspended.id, expired.id])).toEqual({
      [active.id]: { status: 'revoked', revokedReason: CONSENT_WITHDRAWN_REASON, revokedBy: 'usr_consents' },
      [suspended.id]: { status: 'revoked', revokedReason: CONSENT_WITHDRAWN_REASON, revokedBy: 'usr_consents' },
      [expired.id]: { status: 'expired', revokedReason: null, revokedBy: null },
    });
    // Verify answers from its cache: the revoked tokens' snapshots are dropped here and on every other instance.
    expect(publisher.published).toHaveLength(1);
    expect([...publisher.published[0]!].sort()).toEqual([active.lookupId, suspended.lookupId].sort());
    expect(cache.generation).toBeGreaterThan(generation);

    const events = await auditEventsOn(db, tenantId, [consent.id, active.id, suspended.id, expired.id]);
    expect(events.map((e) => [e.action, e.targetId])).toEqual([
      ['consent.created', consent.id],
      ['consent.withdrawn', consent.id],
      ...[active.id, suspended.id].sort().map((id) => ['token.revoked', id]),
    ]);
    const [, withdrawn, ...revoked] = events;
    expect(withdrawn!.data).toMatchObject({ consentId: consent.id, subjectRef: 'subj_42', revokedTokens: 2, reason: 'asked by the subject' });
    // One transaction wrote the consent's withdrawal, the revocations and their events: none can exist without the others.
    const writer = await lastWriterOf(db, tenantId, 'consents', consent.id);
    expect(writer).toBeDefined();
    expect([withdrawn, ...revoked].map((e) => [e!.writtenBy, e!.requestId])).toEqual(Array(3).fill([writer, 'req-consents']));
    expect(await lastWriterOf(db, tenantId, 'tokens', active.id)).toBe(writer);
  });

  it('refuses a second withdrawal and the renewal of a withdrawn consent, telling no cache anything', async () => {
    const { consents, publisher } = service();
    const tenantId = await createTenant(db);
    const consent = await consents.create(principalOf(tenantId), consentInput(), meta);
    await consents.withdraw(principalOf(tenantId), consent.id, {}, meta);
    await expect(consents.withdraw(principalOf(tenantId), consent.id, {}, meta)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(consents.renew(principalOf(tenantId), consent.id, { validUntil: new Date(Date.now() + 90 * DAY) }, meta)).rejects.toMatchObject({
      code: 'CONSENT_INACTIVE',
    });
    expect(publisher.published).toEqual([]);
    expect((await auditEventsOn(db, tenantId, [consent.id])).map((e) => e.action)).toEqual(['consent.created', 'consent.withdrawn']);
  });

  it("cannot see, withdraw or renew another tenant's consent", async () => {
    const { consents } = service();
    const owner = await createTenant(db);
    const other = await createTenant(db);
    const consent = await consents.create(principalOf(owner), consentInput(), meta);
    const token = await seedBoundToken(db, owner, consent.id);
    await expect(consents.get(principalOf(other), consent.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(consents.withdraw(principalOf(other), consent.id, {}, meta)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(consents.renew(principalOf(other), consent.id, { validUntil: new Date(Date.now() + 90 * DAY) }, meta)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await consents.list(principalOf(other), { limit: 10, subjectRef: 'subj_42' })).items).toEqual([]);
    expect((await tokenStates(db, owner, [token.id]))[token.id]?.status).toBe('active');
    expect((await consents.get(principalOf(owner), consent.id)).status).toBe('active');
  });

  it('needs custos:consents:write to change a consent', async () => {
    const { consents } = service();
    const tenantId = await createTenant(db);
    const consent = await consents.create(principalOf(tenantId), consentInput(), meta);
    const reader = principalOf(tenantId, ['custos:consents:read']);
    await expect(consents.withdraw(reader, consent.id, {}, meta)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(consents.create(reader, consentInput(), meta)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await consents.get(reader, consent.id)).status).toBe('active');
  });
});
