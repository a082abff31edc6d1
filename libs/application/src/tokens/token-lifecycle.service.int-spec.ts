import { ErrorCode } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import { auditEventsOf, createTokenTenant, createUser, useMediumDatabase } from '@custos/fixtures';
import { meta, person, serviceKey, tokenUseCases } from '../testing/token-use-cases';

/** Suspend, resume and revoke on the real database: the state rules, and no change without its event. */
describe('TokenLifecycle', () => {
  const db = useMediumDatabase();
  const { issuer, lifecycle, query, sealer } = tokenUseCases(db);
  afterEach(() => sealer.drain());

  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  };
  const issue = async (tenantId: string, scopes = ['orders:read']) =>
    (await issuer.issue(person(tenantId, 'owner'), { name: 'lifecycle', scopes, expiresInSeconds: 3600 }, meta())).token.id;

  it('revokes for good, with who, why and from what', async () => {
    const tenantId = await createTokenTenant(db);
    const id = await issue(tenantId);
    const { principal: operator } = await createUser(db, tenantId, 'operator');
    const revoked = await lifecycle.revoke(operator, id, 'leaked', meta('req-revoke'));
    expect(revoked).toMatchObject({ status: 'revoked', revokedBy: operator.id, revokedByActor: { id: operator.id, email: operator.email }, revokedReason: 'leaked' });
    expect(await query.get(operator, id)).toEqual(revoked);
    expect(await auditEventsOf(db, tenantId, 'token.revoked')).toEqual([
      expect.objectContaining({ targetId: id, actorId: operator.id, requestId: 'req-revoke', data: { reason: 'leaked', from: 'active' } }),
    ]);
    expect((await refusal(lifecycle.revoke(operator, id, 'again', meta()))).code).toBe(ErrorCode.INVALID_TRANSITION);
    expect((await refusal(lifecycle.resume(operator, id, meta()))).code).toBe(ErrorCode.INVALID_TRANSITION);
  });

  it('suspends an active token and resumes a suspended one, nothing else', async () => {
    const tenantId = await createTokenTenant(db);
    const id = await issue(tenantId);
    const operator = person(tenantId, 'operator');
    expect((await refusal(lifecycle.resume(operator, id, meta()))).code).toBe(ErrorCode.INVALID_TRANSITION);
    expect(await lifecycle.suspend(operator, id, meta(), 'investigating')).toMatchObject({ status: 'suspended', suspendedReason: 'manual' });
    expect((await refusal(lifecycle.suspend(operator, id, meta()))).code).toBe(ErrorCode.INVALID_TRANSITION);
    expect(await lifecycle.resume(operator, id, meta())).toMatchObject({ status: 'active', suspendedAt: null, suspendedReason: null });
    expect((await auditEventsOf(db, tenantId)).map((e) => [e.action, e.data])).toEqual([
      ['token.issued', expect.any(Object)],
      ['token.suspended', { reason: 'investigating', from: 'active' }],
      ['token.resumed', { from: 'suspended' }],
    ]);
  });

  it('resumes a service key only for a caller holding every custos scope on it', async () => {
    const tenantId = await createTokenTenant(db);
    const key = await issue(tenantId, ['custos:users:write']);
    await lifecycle.suspend(person(tenantId, 'owner'), key, meta());
    expect((await refusal(lifecycle.resume(serviceKey(tenantId), key, meta()))).code).toBe(ErrorCode.SCOPE_ESCALATION);
    expect((await query.get(person(tenantId, 'owner'), key)).status).toBe('suspended');
    expect((await lifecycle.resume(person(tenantId, 'admin'), key, meta())).status).toBe('active');
  });

  it('commits the change and its audit event together: when the event cannot be written, the token is unchanged', async () => {
    const tenantId = await createTokenTenant(db);
    const id = await issue(tenantId);
    // A request id Postgres refuses in the event (a NUL), but which never reaches the token row.
    await expect(lifecycle.revoke(person(tenantId, 'owner'), id, 'leaked', meta('req\u0000nul', '203.0.113.9'))).rejects.toThrow();
    expect((await query.get(person(tenantId, 'owner'), id)).status).toBe('active');
    expect(await auditEventsOf(db, tenantId, 'token.revoked')).toEqual([]);
  });

  describe('revokeMany', () => {
    it('revokes every token, each with its own event', async () => {
      const tenantId = await createTokenTenant(db);
      const ids = [await issue(tenantId), await issue(tenantId)];
      const revoked = await lifecycle.revokeMany(person(tenantId, 'operator'), ids, 'rotation drill', meta());
      expect(revoked.map((t) => [t.id, t.status])).toEqual([...ids].sort().map((id) => [id, 'revoked']));
      expect((await auditEventsOf(db, tenantId, 'token.revoked')).map((e) => [e.targetId, e.data]).sort()).toEqual(
        [...ids].sort().map((id) => [id, { reason: 'rotation drill', from: 'active', bulk: true }]),
      );
    });

    it('is all or nothing: one token already revoked, and none is revoked', async () => {
      const tenantId = await createTokenTenant(db);
      const owner = person(tenantId, 'owner');
      const [done, live] = [await issue(tenantId), await issue(tenantId)];
      await lifecycle.revoke(owner, done, 'earlier', meta());
      const error = await refusal(lifecycle.revokeMany(owner, [live, done], 'bulk', meta()));
      expect(error.code).toBe(ErrorCode.INVALID_TRANSITION);
      expect(error.fieldErrors).toEqual([{ field: 'ids', message: `${done} is revoked` }]);
      expect((await query.get(owner, live)).status).toBe('active');
    });

    it("finds no token of another tenant, and then revokes nothing", async () => {
      const [tenantId, other] = [await createTokenTenant(db), await createTokenTenant(db)];
      const [mine, theirs] = [await issue(tenantId), await issue(other)];
      const error = await refusal(lifecycle.revokeMany(person(tenantId, 'owner'), [mine, theirs], 'bulk', meta()));
      expect(error.code).toBe(ErrorCode.NOT_FOUND);
      expect(error.fieldErrors).toEqual([{ field: 'ids', message: `${theirs} was not found` }]);
      expect((await query.get(person(tenantId, 'owner'), mine)).status).toBe('active');
      expect((await query.get(person(other, 'owner'), theirs)).status).toBe('active');
    });
  });

  it("cannot suspend, resume or revoke another tenant's token", async () => {
    const [tenantId, other] = [await createTokenTenant(db), await createTokenTenant(db)];
    const theirs = await issue(other);
    const owner = person(tenantId, 'owner');
    const codes = [
      (await refusal(lifecycle.suspend(owner, theirs, meta()))).code,
      (await refusal(lifecycle.revoke(owner, theirs, 'x', meta()))).code,
      (await refusal(lifecycle.resume(owner, theirs, meta()))).code,
    ];
    expect(codes).toEqual([ErrorCode.NOT_FOUND, ErrorCode.NOT_FOUND, ErrorCode.NOT_FOUND]);
    expect((await query.get(person(other, 'owner'), theirs)).status).toBe('active');
  });
});
