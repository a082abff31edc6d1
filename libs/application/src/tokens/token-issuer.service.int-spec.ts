import { ErrorCode } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import {
  auditEventsOf,
  createService,
  createTokenTenant,
  createUser,
  expireTokenUnswept,
  spendUses,
  storedRemainingUses,
  useMediumDatabase,
} from '@custos/fixtures';
import { meta, person, serviceKey, tokenUseCases } from '../testing/token-use-cases';

/** Issuing and rotating on the real database: who may grant what, and what commits with what. */
describe('TokenIssuer', () => {
  const db = useMediumDatabase();
  const { issuer, query, lifecycle, tokens, sealer } = tokenUseCases(db);
  afterEach(() => sealer.drain());

  const input = { name: 'billing', scopes: ['orders:read'], expiresInSeconds: 3600 };
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  };

  describe('issue', () => {
    it('hands out the secret once, stores only its hash, and commits the token with its token.issued event', async () => {
      const tenantId = await createTokenTenant(db);
      // A stored person: the token's creator reads the same in the issue's answer and afterwards.
      const owner = await createUser(db, tenantId, 'owner');
      const issued = await issuer.issue(owner.principal, input, meta('req-issue'));
      expect(issued.token.createdByActor).toEqual({ id: owner.id, kind: 'user', email: owner.email, name: null, removedAt: null });
      expect(issued.secret).toMatch(/^cus_live_/);
      const stored = await db.tenant(tenantId, (tx) => tokens.findById(tx, issued.token.id));
      expect(stored?.id).toBe(issued.token.id);
      expect(JSON.stringify(stored)).not.toContain(issued.secret);
      expect(JSON.stringify(issued.token)).not.toContain(stored!.secretHash);
      expect(await query.get(person(tenantId, 'viewer'), issued.token.id)).toEqual(issued.token);
      expect(await auditEventsOf(db, tenantId, 'token.issued')).toEqual([
        expect.objectContaining({ actorType: 'user', actorId: owner.id, targetId: issued.token.id, requestId: 'req-issue' }),
      ]);
    });

    it('refuses a custos scope the caller does not hold, and writes nothing', async () => {
      const tenantId = await createTokenTenant(db);
      const operator = person(tenantId, 'operator');
      const error = await refusal(issuer.issue(operator, { ...input, scopes: ['orders:read', 'custos:users:write'] }, meta()));
      expect(error.code).toBe(ErrorCode.SCOPE_ESCALATION);
      expect((await query.list(person(tenantId, 'owner'), { limit: 10 })).items).toEqual([]);
      expect(await auditEventsOf(db, tenantId)).toEqual([]);
    });

    it("keeps a service's tokens within the scopes the service may hold", async () => {
      const tenantId = await createTokenTenant(db);
      const svc = await createService(db, tenantId, { allowedScopes: ['orders:read'] });
      const error = await refusal(issuer.issue(person(tenantId, 'owner'), { ...input, ownerServiceId: svc, scopes: ['orders:write'] }, meta()));
      expect(error.code).toBe(ErrorCode.SCOPE_ESCALATION);
      const issued = await issuer.issue(person(tenantId, 'owner'), { ...input, ownerServiceId: svc }, meta());
      expect(issued.token.ownerServiceId).toBe(svc);
    });

    it("does not let a token name another tenant's service as its owner", async () => {
      const [tenantId, other] = [await createTokenTenant(db), await createTokenTenant(db)];
      const theirs = await createService(db, other);
      const error = await refusal(issuer.issue(person(tenantId, 'owner'), { ...input, ownerServiceId: theirs }, meta()));
      expect(error.fieldErrors).toEqual([{ field: 'ownerServiceId', message: 'is not a service of this tenant' }]);
    });

    it("caps a token's lifetime at the tenant's policy", async () => {
      const tenantId = await createTokenTenant(db, { maxLifetimeSeconds: 600 });
      const error = await refusal(issuer.issue(person(tenantId, 'owner'), { ...input, expiresInSeconds: 601 }, meta()));
      expect(error.code).toBe(ErrorCode.LIFETIME_EXCEEDS_POLICY);
      expect((await issuer.issue(person(tenantId, 'owner'), { ...input, expiresInSeconds: 600 }, meta())).token.status).toBe('active');
    });
  });

  describe('rotate', () => {
    it('gives a successor with the same scopes and restrictions; the old token works on until its grace ends', async () => {
      const tenantId = await createTokenTenant(db, { defaultGracePeriodSeconds: 300 });
      const old = await issuer.issue(person(tenantId, 'owner'), { ...input, allowedCidrs: ['10.0.0.0/8'] }, meta());
      const before = Date.now();
      const rotation = await issuer.rotate(person(tenantId, 'operator'), old.token.id, {}, meta('req-rotate'));
      expect(rotation.secret).not.toBe(old.secret);
      expect(rotation.token).toMatchObject({ status: 'active', scopes: ['orders:read'], allowedCidrs: ['10.0.0.0/8'], rotatedFromId: old.token.id, rootId: old.token.id });
      expect(rotation.predecessor.status).toBe('rotating');
      const graceEnd = Date.parse(rotation.predecessor.graceEndsAt!);
      expect(graceEnd).toBeGreaterThanOrEqual(before + 300_000);
      expect(graceEnd).toBeLessThanOrEqual(Date.parse(old.token.expiresAt));
      expect(await query.get(person(tenantId, 'viewer'), old.token.id)).toEqual(rotation.predecessor);
      const events = await auditEventsOf(db, tenantId);
      expect(events.map((e) => [e.action, e.targetId, e.requestId])).toEqual([
        ['token.issued', old.token.id, 'req-medium'],
        ['token.rotated', old.token.id, 'req-rotate'],
        ['token.issued', rotation.token.id, 'req-rotate'],
      ]);
    });

    it('needs every custos scope on the token, as issuing it would', async () => {
      const tenantId = await createTokenTenant(db);
      const key = await issuer.issue(person(tenantId, 'owner'), { ...input, scopes: ['custos:users:write'] }, meta());
      const error = await refusal(issuer.rotate(serviceKey(tenantId), key.token.id, {}, meta()));
      expect(error.code).toBe(ErrorCode.SCOPE_ESCALATION);
      expect((await query.get(person(tenantId, 'owner'), key.token.id)).status).toBe('active');
    });

    it('refuses a suspended token, and an expired one the sweep has not reached yet', async () => {
      const tenantId = await createTokenTenant(db);
      const owner = person(tenantId, 'owner');
      const suspended = await issuer.issue(owner, input, meta());
      await lifecycle.suspend(owner, suspended.token.id, meta());
      expect((await refusal(issuer.rotate(owner, suspended.token.id, {}, meta()))).code).toBe(ErrorCode.INVALID_TRANSITION);
      const expired = await issuer.issue(owner, input, meta());
      await expireTokenUnswept(db, tenantId, expired.token.id);
      expect((await refusal(issuer.rotate(owner, expired.token.id, {}, meta()))).message).toBe('An expired token cannot rotate.');
      expect((await query.lineage(owner, expired.token.id)).map((t) => t.id)).toEqual([expired.token.id]);
    });

    it('keeps one use budget for the whole lineage: a successor draws on what its predecessors left', async () => {
      const tenantId = await createTokenTenant(db);
      const owner = person(tenantId, 'owner');
      const root = await issuer.issue(owner, { ...input, maxUses: 10 }, meta());
      await spendUses(db, tenantId, root.token.id, 4);
      const first = await issuer.rotate(owner, root.token.id, {}, meta());
      const second = await issuer.rotate(owner, first.token.id, {}, meta());
      await spendUses(db, tenantId, root.token.id, 1);
      const lineage = await query.lineage(owner, second.token.id);
      expect(lineage.map((t) => [t.id, t.maxUses, t.remainingUses])).toEqual([
        [root.token.id, 10, 5],
        [first.token.id, 10, 5],
        [second.token.id, 10, 5],
      ]);
      expect(await storedRemainingUses(db, tenantId, first.token.id)).toBeNull();
      expect(await storedRemainingUses(db, tenantId, second.token.id)).toBeNull();
    });

    it("cannot reach another tenant's token", async () => {
      const [tenantId, other] = [await createTokenTenant(db), await createTokenTenant(db)];
      const theirs = await issuer.issue(person(other, 'owner'), input, meta());
      expect((await refusal(issuer.rotate(person(tenantId, 'owner'), theirs.token.id, {}, meta()))).code).toBe(ErrorCode.NOT_FOUND);
      expect((await query.get(person(other, 'owner'), theirs.token.id)).status).toBe('active');
    });
  });
});
