import { ErrorCode } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import { auditEventsOf, createTokenTenant, createUser, useMediumDatabase } from '@custos/fixtures';
import { meta, person, serviceKey, tokenUseCases } from '../testing/token-use-cases';

/** Editing a token on the real database: scopes never widen, restrictions only narrow unless an owner or admin widens them. */
describe('TokenEditor', () => {
  const db = useMediumDatabase();
  const { issuer, editor, lifecycle, query, sealer } = tokenUseCases(db);
  afterEach(() => sealer.drain());

  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  };
  const issue = async (tenantId: string, extra: { allowedCidrs?: string[] } = {}) =>
    (await issuer.issue(person(tenantId, 'owner'), { name: 'edit me', scopes: ['orders:read', 'orders:write'], expiresInSeconds: 3600, ...extra }, meta()))
      .token;

  it('renames, narrows scopes and replaces metadata, recording each change with its before and after', async () => {
    const tenantId = await createTokenTenant(db);
    const token = await issue(tenantId);
    const edited = await editor.patch(serviceKey(tenantId), token.id, { name: 'edited', scopes: ['orders:read'], metadata: { team: 'billing' } }, meta('req-edit'));
    expect(edited).toMatchObject({ name: 'edited', scopes: ['orders:read'], metadata: { team: 'billing' } });
    expect(await query.get(person(tenantId, 'viewer'), token.id)).toEqual(edited);
    expect(await auditEventsOf(db, tenantId, 'token.updated')).toEqual([
      expect.objectContaining({
        targetId: token.id,
        requestId: 'req-edit',
        data: {
          changed: ['name', 'metadata', 'scopes'],
          before: { name: 'edit me', metadata: {}, scopes: ['orders:read', 'orders:write'] },
          after: { name: 'edited', metadata: { team: 'billing' }, scopes: ['orders:read'] },
        },
      }),
    ]);
  });

  it('never widens scopes, whoever asks', async () => {
    const tenantId = await createTokenTenant(db);
    const token = await issue(tenantId);
    const error = await refusal(editor.patch(person(tenantId, 'owner'), token.id, { scopes: ['orders:read', 'orders:admin'] }, meta()));
    expect(error.code).toBe(ErrorCode.SCOPE_ESCALATION);
    // Named, so a form shows it next to its scopes.
    expect(error.fieldErrors).toEqual([{ field: 'scopes', message: 'may only remove scopes; not on the token: orders:admin' }]);
    expect((await query.get(person(tenantId, 'owner'), token.id)).scopes).toEqual(['orders:read', 'orders:write']);
    expect(await auditEventsOf(db, tenantId, 'token.updated')).toEqual([]);
  });

  it('lets a service key or an operator only narrow the allow-list', async () => {
    const tenantId = await createTokenTenant(db);
    const token = await issue(tenantId, { allowedCidrs: ['10.0.0.0/8'] });
    const narrowed = await editor.patch(serviceKey(tenantId), token.id, { allowedCidrs: ['10.1.0.0/16'] }, meta());
    expect(narrowed.allowedCidrs).toEqual(['10.1.0.0/16']);
    const wider = await refusal(editor.patch(serviceKey(tenantId), token.id, { allowedCidrs: ['10.0.0.0/8'] }, meta()));
    expect(wider.code).toBe(ErrorCode.SCOPE_ESCALATION);
    expect(wider.fieldErrors).toEqual([{ field: 'allowedCidrs', message: 'may only narrow the current allow-list' }]);
    const lifted = await refusal(editor.patch(person(tenantId, 'operator'), token.id, { allowedCidrs: [] }, meta()));
    expect(lifted.code).toBe(ErrorCode.SCOPE_ESCALATION);
    expect((await query.get(person(tenantId, 'owner'), token.id)).allowedCidrs).toEqual(['10.1.0.0/16']);
  });

  it('lets a signed-in owner or admin widen or lift the allow-list', async () => {
    const tenantId = await createTokenTenant(db);
    const token = await issue(tenantId, { allowedCidrs: ['10.1.0.0/16'] });
    expect((await editor.patch(person(tenantId, 'admin'), token.id, { allowedCidrs: ['10.0.0.0/8'] }, meta())).allowedCidrs).toEqual(['10.0.0.0/8']);
    expect((await editor.patch(person(tenantId, 'owner'), token.id, { allowedCidrs: [] }, meta())).allowedCidrs).toEqual([]);
  });

  it('changes nothing, and records nothing, when nothing differs', async () => {
    const tenantId = await createTokenTenant(db);
    // Issued by a stored person, whose e-mail the answer names as the read does.
    const { principal: owner } = await createUser(db, tenantId, 'owner');
    const token = (await issuer.issue(owner, { name: 'edit me', scopes: ['orders:read', 'orders:write'], expiresInSeconds: 3600 }, meta())).token;
    expect(await editor.patch(serviceKey(tenantId), token.id, { name: 'edit me', scopes: ['orders:write', 'orders:read'] }, meta())).toEqual(token);
    expect(await auditEventsOf(db, tenantId, 'token.updated')).toEqual([]);
  });

  it('refuses to change a revoked token', async () => {
    const tenantId = await createTokenTenant(db);
    const token = await issue(tenantId);
    await lifecycle.revoke(person(tenantId, 'owner'), token.id, 'done', meta());
    const error = await refusal(editor.patch(person(tenantId, 'owner'), token.id, { name: 'again' }, meta()));
    expect([error.code, error.message]).toEqual([ErrorCode.VALIDATION_FAILED, 'A revoked token cannot be changed.']);
  });

  it('commits the change and its audit event together: when the event cannot be written, the token is unchanged', async () => {
    const tenantId = await createTokenTenant(db);
    const token = await issue(tenantId);
    await expect(editor.patch(person(tenantId, 'owner'), token.id, { name: 'renamed' }, meta('req\u0000nul', '203.0.113.9'))).rejects.toThrow();
    expect((await query.get(person(tenantId, 'owner'), token.id)).name).toBe('edit me');
  });

  it("cannot reach another tenant's token", async () => {
    const [tenantId, other] = [await createTokenTenant(db), await createTokenTenant(db)];
    const theirs = await issue(other);
    expect((await refusal(editor.patch(person(tenantId, 'owner'), theirs.id, { name: 'mine now' }, meta()))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await query.get(person(other, 'owner'), theirs.id)).name).toBe('edit me');
  });
});
