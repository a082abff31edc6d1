import { ErrorCode } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import { createService, createTokenTenant, useMediumDatabase } from '@custos/fixtures';
import type { Principal } from '../auth/principal';
import { meta, person, tokenUseCases } from '../testing/token-use-cases';

/** Reading tokens on the real database: keyset pages, filters, lineages, and only the tenant's own. */
describe('TokenQuery', () => {
  const db = useMediumDatabase();
  const { issuer, lifecycle, query, sealer } = tokenUseCases(db);
  afterEach(() => sealer.drain());

  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  };
  // Each a millisecond apart at least, so that "newest first" has one answer.
  const issue = async (principal: Principal, name: string, extra: { scopes?: string[]; ownerServiceId?: string } = {}) => {
    await pause();
    return (await issuer.issue(principal, { name, scopes: ['orders:read'], expiresInSeconds: 3600, ...extra }, meta())).token;
  };
  const rotate = async (principal: Principal, id: string) => {
    await pause();
    return (await issuer.rotate(principal, id, {}, meta())).token;
  };

  it('lists newest first in keyset pages that end', async () => {
    const tenantId = await createTokenTenant(db);
    const owner = person(tenantId, 'owner');
    for (const name of ['a', 'b', 'c', 'd', 'e']) await issue(owner, name);
    const first = await query.list(owner, { limit: 2 });
    const second = await query.list(owner, { limit: 2, cursor: first.nextCursor! });
    const third = await query.list(owner, { limit: 2, cursor: second.nextCursor! });
    expect([first, second, third].map((page) => page.items.map((t) => t.name))).toEqual([['e', 'd'], ['c', 'b'], ['a']]);
    expect(third.nextCursor).toBeNull();
  });

  it('filters by status, scope, owner service and name or lookup-id prefix', async () => {
    const tenantId = await createTokenTenant(db);
    const owner = person(tenantId, 'owner');
    const svc = await createService(db, tenantId);
    const billing = await issue(owner, 'Billing export', { scopes: ['billing:read'] });
    const owned = await issue(owner, 'orders sync', { ownerServiceId: svc });
    const revoked = await issue(owner, 'old orders');
    await lifecycle.revoke(owner, revoked.id, 'unused', meta());
    const ids = async (filter: Parameters<typeof query.list>[1]) => (await query.list(owner, filter)).items.map((t) => t.id);
    expect(await ids({ limit: 10, status: ['revoked'] })).toEqual([revoked.id]);
    expect(await ids({ limit: 10, scope: 'billing:read' })).toEqual([billing.id]);
    expect(await ids({ limit: 10, ownerServiceId: svc })).toEqual([owned.id]);
    expect(await ids({ limit: 10, q: 'billing' })).toEqual([billing.id]);
    expect(await ids({ limit: 10, q: owned.lookupId.slice(0, 8) })).toEqual([owned.id]);
  });

  it('gives a lineage oldest first, from any of its tokens', async () => {
    const tenantId = await createTokenTenant(db);
    const owner = person(tenantId, 'owner');
    const root = await issue(owner, 'rotated');
    const next = await rotate(owner, root.id);
    const last = await rotate(owner, next.id);
    const expected = [root.id, next.id, last.id];
    expect((await query.lineage(owner, root.id)).map((t) => t.id)).toEqual(expected);
    expect((await query.lineage(owner, last.id)).map((t) => t.id)).toEqual(expected);
  });

  it("never shows another tenant's tokens", async () => {
    const [tenantId, other] = [await createTokenTenant(db), await createTokenTenant(db)];
    const mine = await issue(person(tenantId, 'owner'), 'mine');
    const theirs = await issue(person(other, 'owner'), 'theirs');
    const viewer = person(tenantId, 'viewer');
    expect((await query.list(viewer, { limit: 10 })).items.map((t) => t.id)).toEqual([mine.id]);
    expect((await refusal(query.get(viewer, theirs.id))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await refusal(query.lineage(viewer, theirs.id))).code).toBe(ErrorCode.NOT_FOUND);
  });

  it('needs the read permission', async () => {
    const tenantId = await createTokenTenant(db);
    const token = await issue(person(tenantId, 'owner'), 'secretive');
    const nobody: Principal = { ...person(tenantId, 'viewer'), scopes: ['custos:audit:read'] };
    expect((await refusal(query.get(nobody, token.id))).code).toBe(ErrorCode.FORBIDDEN);
    expect((await refusal(query.list(nobody, { limit: 1 }))).code).toBe(ErrorCode.FORBIDDEN);
  });
});

const pause = () => new Promise((resolve) => setTimeout(resolve, 2));
