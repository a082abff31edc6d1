import { randomBytes } from 'node:crypto';
import { PasswordHasher, SecretBox } from '@custos/crypto';
import { createService, createTokenTenant, createUser, serviceKeyPrincipal, useMediumDatabase, type FixtureUser } from '@custos/fixtures';
import {
  ActorRepository,
  AuditChainRepository,
  AuditEventRepository,
  BoundTokenRepository,
  ConsentRepository,
  ReportRepository,
  SigningKeyRepository,
  UserRepository, StewardRepository } from '@custos/persistence';
import { AuditQuery } from '../audit/audit-query';
import { SigningKeys } from '../audit/signing-keys';
import type { Principal } from '../auth/principal';
import { ReportsService } from '../compliance/reports.service';
import { ConsentsService } from '../consents/consents.service';
import { meta, tokenUseCases } from '../testing/token-use-cases';
import { TokenCache } from '../verify/token-cache';
import { TokenChanges } from '../feed/token-changes';
import { UsersService } from './users.service';

const DAY = 86400_000;

/**
 * The ids a view names as creator, revoker, author, requester or audit actor come with who they are:
 * a person's e-mail (the one they had, once removed), a service key's service name.
 */
describe('actors in views (medium)', () => {
  const db = useMediumDatabase();
  const { audit, issuer, lifecycle, query, sealer } = tokenUseCases(db);
  afterEach(() => sealer.drain());
  const actors = new ActorRepository();
  const users = new UsersService(db, audit, new PasswordHasher(), new UserRepository(), new StewardRepository());
  const cache = new TokenCache({ verifyCacheTtlMs: 0, sessionTtlSeconds: 1, usageFlushIntervalMs: 1000, loginMinResponseMs: 0 });
  const consents = new ConsentsService(db, audit, new TokenChanges(cache), new ConsentRepository(), new BoundTokenRepository(), actors);
  const reports = new ReportsService(db, audit, { enqueue: async () => undefined }, new ReportRepository(), actors);
  const keys = new SigningKeys(db, audit, new SecretBox(randomBytes(32).toString('base64url')), new SigningKeyRepository());
  const auditQuery = new AuditQuery(db, sealer, keys, new AuditChainRepository(), new AuditEventRepository(), actors);
  const input = { name: 'orders reader', scopes: ['orders:read'], expiresInSeconds: 3600 };

  let tenantId: string;
  let owner: FixtureUser;
  let ana: FixtureUser;
  beforeEach(async () => {
    tenantId = await createTokenTenant(db);
    owner = await createUser(db, tenantId, 'owner');
    ana = await createUser(db, tenantId, 'admin');
  });

  const person = (user: FixtureUser, removedAt: string | null = null) => ({ id: user.id, kind: 'user', email: user.email, name: null, removedAt });

  it("names a token's creator and revoker by e-mail, and keeps the e-mail of a creator removed since", async () => {
    const issued = await issuer.issue(ana.principal, input, meta());
    expect(issued.token.createdByActor).toEqual(person(ana));
    const revoked = await lifecycle.revoke(owner.principal, issued.token.id, 'rotated out', meta());
    expect([revoked.createdByActor, revoked.revokedByActor]).toEqual([person(ana), person(owner)]);

    await users.remove(owner.principal, ana.id, meta(), owner.id);

    const shown = await query.get(owner.principal, issued.token.id);
    expect(shown.createdBy).toBe(ana.id);
    expect(shown.createdByActor).toEqual(person(ana, expect.any(String)));
    expect(Date.parse(shown.createdByActor!.removedAt!)).toBeLessThanOrEqual(Date.now());
    expect(shown.revokedByActor).toEqual(person(owner));
    expect((await query.list(owner.principal, { limit: 10 })).items.map((t) => t.createdByActor?.email)).toEqual([ana.email]);
  });

  it('tells a removed person from the new account that registered their e-mail again', async () => {
    const old = await issuer.issue(ana.principal, input, meta());
    await users.remove(owner.principal, ana.id, meta(), owner.id);
    const again = await users.create(owner.principal, { email: ana.email, password: 'a long enough password', role: 'viewer' }, meta());
    const newer = await issuer.issue({ ...owner.principal, id: again.id, email: again.email }, input, meta());

    const [second, first] = (await query.list(owner.principal, { limit: 10 })).items;
    expect(again.id).not.toBe(ana.id);
    expect([first!.id, first!.createdByActor]).toEqual([old.token.id, person(ana, expect.any(String))]);
    expect([second!.id, second!.createdByActor]).toEqual([newer.token.id, { id: again.id, kind: 'user', email: ana.email, name: null, removedAt: null }]);
  });

  it("names a service key by its service's name on what it issued", async () => {
    const service = await createService(db, tenantId, { allowedScopes: ['orders:read', 'custos:tokens:issue'] });
    const key = await issuer.issue(owner.principal, { ...input, name: 'ci key', scopes: ['custos:tokens:issue'], ownerServiceId: service }, meta());
    const caller: Principal = { ...serviceKeyPrincipal(tenantId, ['custos:tokens:issue'], service), id: key.token.id, name: service };

    const issued = await issuer.issue(caller, input, meta());

    const keyActor = { id: key.token.id, kind: 'service_key', email: null, name: service, removedAt: null };
    expect(issued.token.createdByActor).toEqual(keyActor);
    expect((await query.get(owner.principal, issued.token.id)).createdByActor).toEqual(keyActor);
  });

  it('names audit actors as of now, and finds every account that had an e-mail, without touching the chain', async () => {
    const issued = await issuer.issue(ana.principal, input, meta());
    await users.remove(owner.principal, ana.id, meta(), owner.id);
    const again = await users.create(owner.principal, { email: ana.email.toUpperCase(), password: 'a long enough password', role: 'admin' }, meta());
    await issuer.issue({ ...ana.principal, id: again.id, email: again.email }, input, meta());
    await sealer.drain();

    const all = await auditQuery.list(owner.principal, { limit: 50 });
    const issuedEvent = all.items.find((e) => e.action === 'token.issued' && e.targetId === issued.token.id)!;
    expect(issuedEvent.actor).toEqual(person(ana, expect.any(String)));
    const removal = all.items.find((e) => e.action === 'user.removed')!;
    expect([removal.actor, removal.targetActor]).toEqual([person(owner), person(ana, expect.any(String))]);
    expect(issuedEvent.targetActor).toBeNull();

    const byEmail = await auditQuery.list(owner.principal, { actorId: ana.email, limit: 50 });
    expect(byEmail.items.map((e) => [e.action, e.actorId])).toEqual([
      ['token.issued', again.id],
      ['token.issued', ana.id],
    ]);
    expect(await auditQuery.verify(owner.principal)).toMatchObject({ valid: true });
  });

  it("names a consent version's author and a report's requester, removed since", async () => {
    const consent = await consents.create(
      ana.principal,
      { subjectRef: 'subj_7', purpose: 'care', dataCategories: ['health'], lawfulBasis: 'consent', jurisdiction: 'EU', validFrom: new Date(Date.now() - DAY), validUntil: new Date(Date.now() + DAY) },
      meta(),
    );
    const report = await reports.request(
      ana.principal,
      { framework: 'soc2', from: new Date(Date.now() - DAY), to: new Date(), format: 'json' },
      meta(),
    );
    expect(report.requestedByActor).toEqual(person(ana));

    await users.remove(owner.principal, ana.id, meta(), owner.id);

    const reader = owner.principal;
    expect((await consents.get(reader, consent.id)).versions.map((v) => v.createdByActor)).toEqual([person(ana, expect.any(String))]);
    expect((await reports.get(reader, report.id)).requestedByActor).toEqual(person(ana, expect.any(String)));
    expect((await reports.list(reader, { limit: 5 })).items.map((r) => r.requestedByActor?.email)).toEqual([ana.email]);
  });
});
