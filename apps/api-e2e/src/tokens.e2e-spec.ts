import {
  ApiClient,
  collectPages,
  createService,
  issueToken,
  pollUntil,
  serviceKey,
  signupTenant,
  startApi,
  tenantFootprint,
  userWithRole,
  verifyAuditChain,
  auditEvents,
  verifyToken,
  type IssuedBody,
  type RunningApi,
  type TestTenant,
  type TokenBody,
} from '@custos/testing';

/**
 * Token management over HTTP against the real api: no scope ever widens, the tenant's policy caps
 * lifetimes, rotation keeps the old secret working only for its grace period, bulk revoke is all or
 * nothing, and the inventory lists every token exactly once whatever the filters and page size.
 */
interface Problem {
  code: string;
  errors?: Array<{ field: string; message: string }>;
}
type Rotated = IssuedBody & { predecessor: TokenBody };

const sortIds = (items: Array<{ id: string }>) => items.map((t) => t.id).sort();

/** Seals the audit events already committed first (sealing runs just after commit), so two readings differ only by what happened in between. */
async function settledFootprint(tenant: TestTenant) {
  await verifyAuditChain(tenant.owner);
  return tenantFootprint(tenant.tenantId);
}

describe('tokens over HTTP', () => {
  const api = ApiClient.fromEnv();

  describe('scope escalation', () => {
    let tenant: TestTenant;
    let operator: ApiClient;

    beforeAll(async () => {
      tenant = await signupTenant(api, 'Escalation');
      operator = await userWithRole(tenant, 'operator');
    });

    it('refuses to issue a custos scope the caller does not hold, and writes nothing', async () => {
      const before = await settledFootprint(tenant);
      const res = await operator.post<Problem>('/v1/tokens', {
        name: 'sneaky',
        scopes: ['custos:tokens:issue', 'custos:users:write'],
        expiresInSeconds: 3600,
      });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('SCOPE_ESCALATION');
      expect(await settledFootprint(tenant)).toEqual(before);
      // The operator may grant what it holds.
      expect((await operator.post('/v1/tokens', { name: 'ok', scopes: ['custos:tokens:issue'], expiresInSeconds: 3600 })).status).toBe(201);
    });

    it('refuses a service key granting a custos scope beyond its own', async () => {
      const { client } = await serviceKey(tenant, ['custos:tokens:issue']);
      const refused = await client.post<Problem>('/v1/tokens', { name: 'x', scopes: ['custos:tokens:revoke'], expiresInSeconds: 60 });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('SCOPE_ESCALATION');
      expect((await client.post('/v1/tokens', { name: 'y', scopes: ['orders:read'], expiresInSeconds: 60 })).status).toBe(201);
    });

    it("refuses a scope outside the owner service's allowed scopes", async () => {
      const service = await createService(tenant.owner, { allowedScopes: ['orders:read'] });
      const refused = await tenant.owner.post<Problem>('/v1/tokens', {
        name: 'too wide',
        ownerServiceId: service.id,
        scopes: ['orders:read', 'orders:write'],
        expiresInSeconds: 3600,
      });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('SCOPE_ESCALATION');
      const within = await issueToken(tenant.owner, { ownerServiceId: service.id, scopes: ['orders:read'] });
      expect(within.token.ownerServiceId).toBe(service.id);
    });

    it('refuses to add a scope on PATCH and leaves the token as it was', async () => {
      const { token } = await issueToken(tenant.owner, { scopes: ['orders:read'] });
      const res = await tenant.owner.patch<Problem>(`/v1/tokens/${token.id}`, { scopes: ['orders:read', 'orders:write'] });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('SCOPE_ESCALATION');
      const after = await tenant.owner.get<TokenBody>(`/v1/tokens/${token.id}`);
      expect(after.body.scopes).toEqual(['orders:read']);
      expect(after.body.updatedAt).toBe(token.updatedAt);
    });

    it('refuses an operator rotating a key that holds custos:users:write', async () => {
      const { issued } = await serviceKey(tenant, ['custos:tokens:read', 'custos:users:write']);
      const res = await operator.post<Problem>(`/v1/tokens/${issued.token.id}/rotate`, { gracePeriodSeconds: 60 });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('SCOPE_ESCALATION');
      const lineage = await tenant.owner.get<{ items: TokenBody[] }>(`/v1/tokens/${issued.token.id}/lineage`);
      expect(lineage.body.items.map((t) => [t.id, t.status])).toEqual([[issued.token.id, 'active']]);
      // The same operator may rotate a token whose scopes it could grant.
      const plain = await issueToken(tenant.owner, { scopes: ['orders:read'] });
      expect((await operator.post(`/v1/tokens/${plain.token.id}/rotate`, {})).status).toBe(201);
    });

    it("refuses a service key rotating a token whose service's allowed scopes were narrowed since", async () => {
      const service = await createService(tenant.owner, { allowedScopes: ['orders:read', 'orders:write'] });
      const wide = await issueToken(tenant.owner, { ownerServiceId: service.id, scopes: ['orders:read', 'orders:write'] });
      const narrowed = await tenant.owner.patch(`/v1/services/${service.id}`, { allowedScopes: ['orders:read'] });
      expect(narrowed.status).toBe(200);
      const { client } = await serviceKey(tenant, ['custos:tokens:rotate', 'custos:tokens:read']);
      const res = await client.post<Problem>(`/v1/tokens/${wide.token.id}/rotate`, {});
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('SCOPE_ESCALATION');
      expect((await client.get<TokenBody>(`/v1/tokens/${wide.token.id}`)).body.status).toBe('active');
    });
  });

  describe('PATCH', () => {
    it('narrows scopes, and the removed scope then verifies INSUFFICIENT_SCOPE', async () => {
      const tenant = await signupTenant(api, 'Narrow');
      const { token, secret } = await issueToken(tenant.owner, { scopes: ['orders:read', 'orders:write'] });
      // Warm the verify cache first: narrowing must take effect at once anyway.
      expect((await verifyToken(tenant.owner, secret, { scopes: ['orders:write'] })).code).toBe('VALID');
      const res = await tenant.owner.patch<TokenBody>(`/v1/tokens/${token.id}`, { scopes: ['orders:read'] });
      expect(res.status).toBe(200);
      expect(res.body.scopes).toEqual(['orders:read']);
      expect(await verifyToken(tenant.owner, secret, { scopes: ['orders:write'] })).toMatchObject({ valid: false, code: 'INSUFFICIENT_SCOPE' });
      expect(await verifyToken(tenant.owner, secret, { scopes: ['orders:read'] })).toMatchObject({ valid: true, code: 'VALID', scopes: ['orders:read'] });
    });
  });

  describe('restrictions only narrow', () => {
    let tenant: TestTenant;
    let editor: ApiClient;

    beforeAll(async () => {
      tenant = await signupTenant(api, 'Restrictions');
      editor = (await serviceKey(tenant, ['custos:tokens:update', 'custos:tokens:read'])).client;
    });

    it("lets a tokens:update key narrow another key's allow-list, never lift or widen it, and writes nothing when refused", async () => {
      const { token, secret } = await issueToken(tenant.owner, { scopes: ['custos:tokens:read'], allowedCidrs: ['10.0.0.0/8'] });
      const narrowed = await editor.patch<TokenBody>(`/v1/tokens/${token.id}`, { allowedCidrs: ['10.1.0.0/16'] });
      expect([narrowed.status, narrowed.body.allowedCidrs]).toEqual([200, ['10.1.0.0/16']]);
      const before = await settledFootprint(tenant);
      for (const allowedCidrs of [[], ['10.0.0.0/8'], ['10.1.0.0/16', '192.168.0.0/16'], ['0.0.0.0/0']]) {
        const widened = await editor.patch<Problem>(`/v1/tokens/${token.id}`, { allowedCidrs });
        expect([widened.status, widened.body.code]).toEqual([403, 'SCOPE_ESCALATION']);
        expect(widened.body.errors).toEqual([{ field: 'allowedCidrs', message: expect.any(String) }]);
      }
      expect(await settledFootprint(tenant)).toEqual(before);
      expect((await tenant.owner.get<TokenBody>(`/v1/tokens/${token.id}`)).body.allowedCidrs).toEqual(['10.1.0.0/16']);
      // The restricted key itself, from this host's loopback address, stays refused.
      expect((await tenant.owner.withAuth({ bearer: secret }).get('/v1/tokens')).status).toBe(401);
    });

    it('lets an owner or admin session widen an allow-list, recorded with before and after', async () => {
      const { token } = await issueToken(tenant.owner, { allowedCidrs: ['10.0.0.0/8'] });
      const admin = await userWithRole(tenant, 'admin');
      const widened = await admin.patch<TokenBody>(`/v1/tokens/${token.id}`, { allowedCidrs: [] });
      expect([widened.status, widened.body.allowedCidrs]).toEqual([200, []]);
      const [updated] = await auditEvents(tenant.owner, `action=token.updated&target=${token.id}`);
      expect(updated!.data).toMatchObject({ before: { allowedCidrs: ['10.0.0.0/8'] }, after: { allowedCidrs: [] } });
      const operator = await userWithRole(tenant, 'operator');
      const narrowedAgain = await tenant.owner.patch<TokenBody>(`/v1/tokens/${token.id}`, { allowedCidrs: ['10.0.0.0/8'] });
      expect(narrowedAgain.status).toBe(200);
      const byOperator = await operator.patch<Problem>(`/v1/tokens/${token.id}`, { allowedCidrs: ['10.0.0.0/7'] });
      expect([byOperator.status, byOperator.body.code]).toEqual([403, 'SCOPE_ESCALATION']);
    });
  });

  describe("lifetime capped by the tenant's policy", () => {
    let tenant: TestTenant;
    let longLived: IssuedBody;

    beforeAll(async () => {
      tenant = await signupTenant(api, 'Policy');
      longLived = await issueToken(tenant.owner, { expiresInSeconds: 7200 });
      const policy = await tenant.owner.put('/v1/policy', {
        maxLifetimeSeconds: 3600,
        defaultRotationIntervalSeconds: null,
        defaultGracePeriodSeconds: 60,
        disableUnusedAfterDays: 90,
      });
      expect(policy.status).toBe(200);
    });

    it('refuses a lifetime above the cap with LIFETIME_EXCEEDS_POLICY naming the field', async () => {
      const before = await settledFootprint(tenant);
      const bySeconds = await tenant.owner.post<Problem>('/v1/tokens', { name: 'long', scopes: [], expiresInSeconds: 3601 });
      expect(bySeconds.status).toBe(400);
      expect(bySeconds.body.code).toBe('LIFETIME_EXCEEDS_POLICY');
      expect(bySeconds.body.errors).toEqual([{ field: 'expiresInSeconds', message: expect.any(String) }]);
      const byDate = await tenant.owner.post<Problem>('/v1/tokens', {
        name: 'long',
        scopes: [],
        expiresAt: new Date(Date.now() + 2 * 3600_000).toISOString(),
      });
      expect(byDate.status).toBe(400);
      expect(byDate.body.code).toBe('LIFETIME_EXCEEDS_POLICY');
      expect(byDate.body.errors).toEqual([{ field: 'expiresAt', message: expect.any(String) }]);
      expect(await settledFootprint(tenant)).toEqual(before);
    });

    it('issues exactly at the cap', async () => {
      const issued = await issueToken(tenant.owner, { expiresInSeconds: 3600 });
      const lifetime = Date.parse(issued.token.expiresAt) - Date.parse(issued.token.createdAt as string);
      expect(lifetime).toBe(3600_000);
    });

    it('wants exactly one of expiresAt and expiresInSeconds', async () => {
      const both = await tenant.owner.post<Problem>('/v1/tokens', {
        name: 'both',
        scopes: [],
        expiresInSeconds: 60,
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      });
      expect(both.status).toBe(400);
      expect(both.body.code).toBe('VALIDATION_FAILED');
      expect(both.body.errors?.map((e) => e.field)).toContain('expiresAt');
      const neither = await tenant.owner.post<Problem>('/v1/tokens', { name: 'neither', scopes: [] });
      expect(neither.status).toBe(400);
      expect(neither.body.code).toBe('VALIDATION_FAILED');
      expect(neither.body.errors?.map((e) => e.field)).toContain('expiresAt');
    });

    it('gives a rotated successor no more than the current cap', async () => {
      const rotated = await tenant.owner.post<Rotated>(`/v1/tokens/${longLived.token.id}/rotate`, {});
      expect(rotated.status).toBe(201);
      const lifetime = Date.parse(rotated.body.token.expiresAt) - Date.parse(rotated.body.token.createdAt as string);
      expect(lifetime).toBeLessThanOrEqual(3600_000);
    });
  });

  describe('rotation', () => {
    let tenant: TestTenant;

    beforeAll(async () => {
      tenant = await signupTenant(api, 'Rotation');
    });

    const rotate = (id: string, body: Record<string, unknown> = {}) => tenant.owner.post<Rotated>(`/v1/tokens/${id}/rotate`, body);

    it('never widens on rotation: the successor keeps a future start and only the uses left', async () => {
      const notBefore = new Date(Date.now() + 3_600_000).toISOString();
      const later = await issueToken(tenant.owner, { notBefore, expiresInSeconds: 7200 });
      const laterSuccessor = await rotate(later.token.id);
      expect(laterSuccessor.status).toBe(201);
      expect(laterSuccessor.body.token.notBefore).toBe(notBefore);

      const limited = await issueToken(tenant.owner, { maxUses: 3 });
      const verifier = (await serviceKey(tenant, ['custos:tokens:verify'])).client;
      for (let i = 0; i < 2; i++) expect((await verifyToken(verifier, limited.secret)).code).toBe('VALID');
      const limitedSuccessor = await rotate(limited.token.id);
      expect(limitedSuccessor.body.token).toMatchObject({ maxUses: 3, remainingUses: 1 });
    });

    it('shares one use budget across the lineage: 10 uses in all from a token issued with 10, however it is rotated', async () => {
      const limited = await issueToken(tenant.owner, { maxUses: 10 });
      const verifier = (await serviceKey(tenant, ['custos:tokens:verify'])).client;
      const codes = async (secret: string, times: number) =>
        (await Promise.all(Array.from({ length: times }, () => verifyToken(verifier, secret)))).map((v) => v.code);
      expect(await codes(limited.secret, 3)).toEqual(['VALID', 'VALID', 'VALID']);

      const first = await rotate(limited.token.id, { gracePeriodSeconds: 600 });
      expect(first.body.token).toMatchObject({ maxUses: 10, remainingUses: 7 });
      const second = await rotate(first.body.token.id, { gracePeriodSeconds: 600 });
      // Three secrets in their grace periods or active, drawing on one count, in parallel.
      const all = [...(await codes(limited.secret, 6)), ...(await codes(first.body.secret, 6)), ...(await codes(second.body.secret, 6))];
      expect(all.filter((c) => c === 'VALID')).toHaveLength(7);
      expect(all.filter((c) => c === 'USAGE_EXCEEDED')).toHaveLength(11);
      for (const id of [limited.token.id, first.body.token.id, second.body.token.id]) {
        expect((await tenant.owner.get<TokenBody>(`/v1/tokens/${id}`)).body).toMatchObject({ maxUses: 10, remainingUses: 0 });
      }
      const third = await rotate(second.body.token.id);
      expect(third.body.token).toMatchObject({ maxUses: 10, remainingUses: 0 });
      expect((await verifyToken(verifier, third.body.secret)).code).toBe('USAGE_EXCEEDED');
    });

    it('keeps both secrets VALID during the grace period; the successor inherits scopes and restrictions', async () => {
      const old = await issueToken(tenant.owner, { scopes: ['orders:read', 'orders:write'], allowedCidrs: ['10.0.0.0/8'] });
      const started = Date.now();
      const res = await rotate(old.token.id, { gracePeriodSeconds: 600 });
      expect(res.status).toBe(201);
      const { token, secret, predecessor } = res.body;
      expect(secret).not.toBe(old.secret);
      expect(predecessor).toMatchObject({ id: old.token.id, status: 'rotating' });
      expect(Date.parse(predecessor.graceEndsAt!)).toBeGreaterThanOrEqual(started + 600_000 - 1000);
      expect(Date.parse(predecessor.graceEndsAt!)).toBeLessThanOrEqual(Date.now() + 600_000);
      expect(token).toMatchObject({
        status: 'active',
        scopes: ['orders:read', 'orders:write'],
        allowedCidrs: ['10.0.0.0/8'],
        rotatedFromId: old.token.id,
        rootId: old.token.id,
        createdVia: 'rotation',
      });
      const context = { ip: '10.1.2.3' };
      expect(await verifyToken(tenant.owner, old.secret, { context })).toMatchObject({ code: 'VALID', tokenId: old.token.id });
      expect(await verifyToken(tenant.owner, secret, { context })).toMatchObject({ code: 'VALID', tokenId: token.id });
    });

    it('answers EXPIRED for the old secret once a 1 second grace period is over, while the new one works', async () => {
      const old = await issueToken(tenant.owner);
      const res = await rotate(old.token.id, { gracePeriodSeconds: 1 });
      expect(res.status).toBe(201);
      const graceEndsAt = Date.parse(res.body.predecessor.graceEndsAt!);
      const last = await pollUntil(() => verifyToken(tenant.owner, old.secret), (r) => r.code !== 'VALID', { timeoutMs: 5000 });
      expect(last.code).toBe('EXPIRED');
      expect(Date.now()).toBeGreaterThanOrEqual(graceEndsAt);
      expect((await verifyToken(tenant.owner, res.body.secret)).code).toBe('VALID');
    });

    it('never extends a life: the grace period ends at the old expiry at the latest', async () => {
      const old = await issueToken(tenant.owner, { expiresInSeconds: 2 });
      const res = await rotate(old.token.id, { gracePeriodSeconds: 3600 });
      expect(res.status).toBe(201);
      expect(res.body.predecessor.graceEndsAt).toBe(old.token.expiresAt);
      const last = await pollUntil(() => verifyToken(tenant.owner, old.secret), (r) => r.code !== 'VALID', { timeoutMs: 6000 });
      expect(last.code).toBe('EXPIRED');
      expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(old.token.expiresAt));
    });

    it('refuses to rotate a rotating or a revoked token (409 INVALID_TRANSITION)', async () => {
      const rotating = await issueToken(tenant.owner);
      expect((await rotate(rotating.token.id)).status).toBe(201);
      const again = await rotate(rotating.token.id);
      expect(again.status).toBe(409);
      expect((again.body as unknown as Problem).code).toBe('INVALID_TRANSITION');

      const revoked = await issueToken(tenant.owner);
      expect((await tenant.owner.post(`/v1/tokens/${revoked.token.id}/revoke`, { reason: 'test' })).status).toBe(200);
      const res = await rotate(revoked.token.id);
      expect(res.status).toBe(409);
      expect((res.body as unknown as Problem).code).toBe('INVALID_TRANSITION');
      const lineage = await tenant.owner.get<{ items: TokenBody[] }>(`/v1/tokens/${revoked.token.id}/lineage`);
      expect(lineage.body.items).toHaveLength(1);
    });

    it('refuses to rotate a suspended token, or one whose expiry has passed before any sweep ran', async () => {
      const suspended = await issueToken(tenant.owner);
      expect((await tenant.owner.post(`/v1/tokens/${suspended.token.id}/suspend`, {})).status).toBe(200);
      const res = await rotate(suspended.token.id);
      expect(res.status).toBe(409);
      expect((res.body as unknown as Problem).code).toBe('INVALID_TRANSITION');

      // A rotation hands out a fresh working secret: doing so for a dead token would bring it back to life.
      const expired = await issueToken(tenant.owner, { expiresInSeconds: 1 });
      await pollUntil(() => verifyToken(tenant.owner, expired.secret), (r) => r.code === 'EXPIRED', { timeoutMs: 5000 });
      const late = await rotate(expired.token.id, { gracePeriodSeconds: 60 });
      expect(late.status).toBe(409);
      expect((late.body as unknown as Problem).code).toBe('INVALID_TRANSITION');
      const lineage = await tenant.owner.get<{ items: TokenBody[] }>(`/v1/tokens/${expired.token.id}/lineage`);
      expect(lineage.body.items).toHaveLength(1);
    });

    it('lists the lineage oldest first from any member of the chain', async () => {
      const first = await issueToken(tenant.owner);
      const second = (await rotate(first.token.id)).body;
      const third = (await rotate(second.token.id)).body;
      const chain = [first.token.id, second.token.id, third.token.id];
      for (const id of chain) {
        const lineage = await tenant.owner.get<{ items: TokenBody[] }>(`/v1/tokens/${id}/lineage`);
        expect(lineage.status).toBe(200);
        expect(lineage.body.items.map((t) => t.id)).toEqual(chain);
      }
      expect(third.token).toMatchObject({ rotatedFromId: second.token.id, rootId: first.token.id });
    });
  });

  describe('bulk revoke', () => {
    let tenant: TestTenant;

    beforeAll(async () => {
      tenant = await signupTenant(api, 'Bulk');
    });

    const statuses = async (ids: string[]) =>
      Promise.all(ids.map(async (id) => (await tenant.owner.get<TokenBody>(`/v1/tokens/${id}`)).body.status));

    /** Audit events and the sealed chain head, after sealing whatever is pending. */
    const auditState = async () => {
      const { auditEvents: count, auditHeadSeq } = await settledFootprint(tenant);
      return { count, auditHeadSeq };
    };

    it('revokes nothing when one id is unknown', async () => {
      const tokens = await Promise.all([issueToken(tenant.owner), issueToken(tenant.owner)]);
      const ids = tokens.map((t) => t.token.id);
      const before = await auditState();
      const res = await tenant.owner.post<Problem>('/v1/tokens/revoke', { ids: [...ids, 'tok_0000000000000000000000'], reason: 'leak' });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
      expect(await statuses(ids)).toEqual(['active', 'active']);
      expect(await auditState()).toEqual(before);
      expect((await verifyToken(tenant.owner, tokens[0]!.secret)).code).toBe('VALID');
    });

    it('revokes nothing when one token is already revoked', async () => {
      const tokens = await Promise.all([issueToken(tenant.owner), issueToken(tenant.owner)]);
      const [live, dead] = tokens.map((t) => t.token.id) as [string, string];
      expect((await tenant.owner.post(`/v1/tokens/${dead}/revoke`, { reason: 'first' })).status).toBe(200);
      const before = await auditState();
      const res = await tenant.owner.post<Problem>('/v1/tokens/revoke', { ids: [live, dead], reason: 'second' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('INVALID_TRANSITION');
      expect(await statuses([live, dead])).toEqual(['active', 'revoked']);
      expect((await tenant.owner.get<TokenBody>(`/v1/tokens/${dead}`)).body.revokedReason).toBe('first');
      expect(await auditState()).toEqual(before);
    });

    it('accepts up to 1000 ids and refuses 1001', async () => {
      const unknown = (i: number) => `tok_${String(i).padStart(22, '0')}`;
      const thousand = await tenant.owner.post<Problem>('/v1/tokens/revoke', { ids: Array.from({ length: 1000 }, (_, i) => unknown(i)), reason: 'x' });
      // Within the limit: the ids are looked up (and are unknown here), not refused as too many.
      expect(thousand.status).toBe(404);
      const tooMany = await tenant.owner.post<Problem>('/v1/tokens/revoke', { ids: Array.from({ length: 1001 }, (_, i) => unknown(i)), reason: 'x' });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.code).toBe('VALIDATION_FAILED');
      expect(tooMany.body.errors?.map((e) => e.field)).toContain('ids');
    });

    it('revokes every token at once, with one token.revoked event each', async () => {
      const tokens = await Promise.all([issueToken(tenant.owner), issueToken(tenant.owner), issueToken(tenant.owner)]);
      const ids = tokens.map((t) => t.token.id);
      for (const t of tokens) expect((await verifyToken(tenant.owner, t.secret)).code).toBe('VALID');
      const res = await tenant.owner.post<{ items: TokenBody[] }>('/v1/tokens/revoke', { ids, reason: 'offboarding' });
      expect(res.status).toBe(200);
      expect(sortIds(res.body.items)).toEqual([...ids].sort());
      expect(res.body.items.every((t) => t.status === 'revoked' && t.revokedReason === 'offboarding')).toBe(true);
      expect(await statuses(ids)).toEqual(['revoked', 'revoked', 'revoked']);
      for (const t of tokens) expect((await verifyToken(tenant.owner, t.secret)).code).toBe('REVOKED');
      const events = (await auditEvents(tenant.owner, 'action=token.revoked')).filter((e) => ids.includes(e.targetId!));
      expect(events.map((e) => e.targetId).sort()).toEqual([...ids].sort());
      expect(events.every((e) => e.data.reason === 'offboarding')).toBe(true);
      expect((await verifyAuditChain(tenant.owner)).valid).toBe(true);
    });
  });

  describe('suspend and resume', () => {
    it('lets only a caller holding every custos scope of a suspended service key bring it back', async () => {
      const tenant = await signupTenant(api, 'Resume');
      const admin = await serviceKey(tenant, ['custos:users:write', 'custos:policy:write', 'custos:tokens:read']);
      const updater = (await serviceKey(tenant, ['custos:tokens:update', 'custos:tokens:read'])).client;
      expect((await updater.post(`/v1/tokens/${admin.issued.token.id}/suspend`, { reason: 'investigating' })).status).toBe(200);
      expect((await admin.client.get('/v1/tokens')).status).toBe(401);
      const before = await settledFootprint(tenant);
      const resumed = await updater.post<Problem>(`/v1/tokens/${admin.issued.token.id}/resume`, {});
      expect([resumed.status, resumed.body.code]).toEqual([403, 'SCOPE_ESCALATION']);
      expect(await settledFootprint(tenant)).toEqual(before);
      expect((await admin.client.get('/v1/tokens')).status).toBe(401);
      expect((await tenant.owner.post(`/v1/tokens/${admin.issued.token.id}/resume`, {})).status).toBe(200);
      expect((await admin.client.get('/v1/tokens')).status).toBe(200);
    });


    it('answers SUSPENDED while suspended and VALID again after resume', async () => {
      const tenant = await signupTenant(api, 'Suspend');
      const { token, secret } = await issueToken(tenant.owner);
      expect((await verifyToken(tenant.owner, secret)).code).toBe('VALID');
      const suspended = await tenant.owner.post<TokenBody>(`/v1/tokens/${token.id}/suspend`, { reason: 'investigating' });
      expect(suspended.status).toBe(200);
      expect(suspended.body.status).toBe('suspended');
      expect(await verifyToken(tenant.owner, secret)).toMatchObject({ valid: false, code: 'SUSPENDED' });
      const resumed = await tenant.owner.post<TokenBody>(`/v1/tokens/${token.id}/resume`, {});
      expect(resumed.status).toBe(200);
      expect(resumed.body).toMatchObject({ status: 'active', suspendedAt: null });
      expect(await verifyToken(tenant.owner, secret)).toMatchObject({ valid: true, code: 'VALID' });
      const resumeActive = await tenant.owner.post<Problem>(`/v1/tokens/${token.id}/resume`, {});
      expect(resumeActive.status).toBe(409);
      expect(resumeActive.body.code).toBe('INVALID_TRANSITION');
    });
  });

  describe('listing', () => {
    let tenant: TestTenant;
    let t: Record<'alphaOne' | 'alphaTwo' | 'beta' | 'gamma' | 'delta', TokenBody>;
    let paged: TokenBody[];
    let serviceId: string;

    beforeAll(async () => {
      tenant = await signupTenant(api, 'Listing');
      serviceId = (await createService(tenant.owner, { allowedScopes: ['orders:read', 'billing:write'] })).id;
      const issue = async (overrides: Record<string, unknown>) => (await issueToken(tenant.owner, overrides)).token;
      t = {
        alphaOne: await issue({ name: 'Alpha one', scopes: ['orders:read'] }),
        alphaTwo: await issue({ name: 'alpha two', scopes: ['orders:read', 'billing:write'], environment: 'test', ownerServiceId: serviceId, expiresInSeconds: 7200 }),
        beta: await issue({ name: 'Beta', scopes: ['billing:write'], expiresInSeconds: 600 }),
        gamma: await issue({ name: 'gamma', scopes: ['misc:read'] }),
        delta: await issue({ name: 'delta', scopes: ['misc:read'] }),
      };
      expect((await tenant.owner.post(`/v1/tokens/${t.gamma.id}/revoke`, { reason: 'list test' })).status).toBe(200);
      expect((await tenant.owner.post(`/v1/tokens/${t.delta.id}/suspend`, {})).status).toBe(200);
      // Issued at once, so several share a creation millisecond: paging must still see each exactly once.
      paged = (await Promise.all(Array.from({ length: 9 }, (_, i) => issueToken(tenant.owner, { name: `page ${i}`, scopes: ['misc:read'] })))).map((x) => x.token);
    });

    const ids = async (query: string) => {
      const res = await tenant.owner.get<{ items: TokenBody[] }>(`/v1/tokens?limit=200&${query}`);
      expect(res.status).toBe(200);
      return sortIds(res.body.items);
    };
    const idsOf = (...tokens: TokenBody[]) => sortIds(tokens);

    it('filters by status (one or several)', async () => {
      expect(await ids('status=revoked')).toEqual(idsOf(t.gamma));
      expect(await ids('status=suspended')).toEqual(idsOf(t.delta));
      expect(await ids('status=revoked,suspended')).toEqual(idsOf(t.gamma, t.delta));
      expect(await ids('status=active')).toEqual(idsOf(t.alphaOne, t.alphaTwo, t.beta, ...paged));
    });

    it('filters by owner service, scope, environment and expiry', async () => {
      expect(await ids(`ownerServiceId=${serviceId}`)).toEqual(idsOf(t.alphaTwo));
      expect(await ids('scope=billing:write')).toEqual(idsOf(t.alphaTwo, t.beta));
      expect(await ids('scope=orders:read&environment=live')).toEqual(idsOf(t.alphaOne));
      expect(await ids('environment=test')).toEqual(idsOf(t.alphaTwo));
      const before = new Date(Date.now() + 1800_000).toISOString();
      expect(await ids(`expiringBefore=${encodeURIComponent(before)}`)).toEqual(idsOf(t.beta));
    });

    it('finds by name prefix in any case, or by lookup id prefix; wildcards are literal', async () => {
      expect(await ids('q=ALPHA')).toEqual(idsOf(t.alphaOne, t.alphaTwo));
      expect(await ids(`q=${encodeURIComponent('ALPHA T')}`)).toEqual(idsOf(t.alphaTwo));
      expect(await ids('q=lpha')).toEqual([]);
      expect(await ids(`q=${t.beta.lookupId.slice(0, 8)}`)).toEqual(idsOf(t.beta));
      expect(await ids(`q=${encodeURIComponent('%')}`)).toEqual([]);
      expect(await ids('q=_')).toEqual([]);
    });

    it('walks every token exactly once with limit and nextCursor, newest first', async () => {
      const all = await tenant.owner.get<{ items: TokenBody[]; nextCursor: string | null }>('/v1/tokens?limit=200');
      expect(all.body.nextCursor).toBeNull();
      expect(all.body.items).toHaveLength(14);
      const createdAt = all.body.items.map((x) => Date.parse(x.createdAt as string));
      expect(createdAt).toEqual([...createdAt].sort((a, b) => b - a));
      for (const limit of [1, 5]) {
        const walked = await collectPages<TokenBody>(tenant.owner, '/v1/tokens', limit);
        expect(walked.items.map((x) => x.id)).toEqual(all.body.items.map((x) => x.id));
        expect(walked.pages).toBe(Math.ceil(14 / limit));
      }
      const filtered = await collectPages<TokenBody>(tenant.owner, '/v1/tokens?scope=misc:read', 2);
      expect(sortIds(filtered.items)).toEqual(idsOf(t.gamma, t.delta, ...paged));
    });

    it('answers a cursor it did not issue with 400', async () => {
      for (const cursor of ['not-a-cursor!', Buffer.from('{"c":1}').toString('base64url')]) {
        const res = await tenant.owner.get<Problem>(`/v1/tokens?cursor=${encodeURIComponent(cursor)}`);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.errors?.map((e) => e.field)).toContain('cursor');
      }
    });
  });

  describe('concurrent issues', () => {
    it('issues 50 tokens at once and keeps the audit chain valid with exactly 50 more token.issued events', async () => {
      const tenant = await signupTenant(api, 'Concurrent');
      const before = await verifyAuditChain(tenant.owner);
      const issuedBefore = (await auditEvents(tenant.owner, 'action=token.issued')).length;
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          tenant.owner.post<IssuedBody>('/v1/tokens', { name: `burst ${i}`, scopes: ['orders:read'], expiresInSeconds: 3600 }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array.from({ length: 50 }, () => 201));
      expect(new Set(results.map((r) => r.body.token.id)).size).toBe(50);
      expect(new Set(results.map((r) => r.body.secret)).size).toBe(50);
      const after = await verifyAuditChain(tenant.owner);
      expect(after).toMatchObject({ valid: true, checkedEvents: before.checkedEvents + 50, headSeq: before.headSeq + 50 });
      const issued = await auditEvents(tenant.owner, 'action=token.issued');
      expect(issued).toHaveLength(issuedBefore + 50);
      expect(new Set(issued.map((e) => e.targetId))).toEqual(new Set(results.map((r) => r.body.token.id)));
    });
  });

  describe('where a token was issued from (createdVia)', () => {
    it("records 'api' for a service key and 'dashboard' for a session", async () => {
      const tenant = await signupTenant(api, 'Created via');
      const bySession = await issueToken(tenant.owner, { name: 'from a session' });
      expect(bySession.token.createdVia).toBe('dashboard');
      const { client } = await serviceKey(tenant, ['custos:tokens:issue', 'custos:tokens:read']);
      const byKey = await issueToken(client, { name: 'from a service key' });
      expect(byKey.token.createdVia).toBe('api');
      const read = await tenant.owner.get<TokenBody>(`/v1/tokens/${byKey.token.id}`);
      expect(read.body.createdVia).toBe('api');
    });
  });

  /** On an api of its own that logs every request, so its output can be searched for the secret. */
  describe('search by a pasted token or by the prefix the Token column shows', () => {
    let verbose: RunningApi;
    let tenant: TestTenant;
    let leaked: IssuedBody;
    let other: IssuedBody;

    beforeAll(async () => {
      verbose = await startApi({ LOG_LEVEL: 'debug' });
      tenant = await signupTenant(new ApiClient(verbose.url), 'Pasted search');
      leaked = await issueToken(tenant.owner, { name: 'leaked one' });
      other = await issueToken(tenant.owner, { name: 'other one' });
    }, 60_000);
    afterAll(async () => {
      await verbose?.stop();
    });

    const found = async (path: string): Promise<string[]> => {
      const res = await tenant.owner.get<{ items: TokenBody[] }>(path);
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain(leaked.secret);
      return res.body.items.map((t) => t.id);
    };

    it('finds a token by its full secret, on the list and the inventory, without echoing or logging it', async () => {
      expect(await found(`/v1/tokens?q=${leaked.secret}`)).toEqual([leaked.token.id]);
      expect(await found(`/v1/inventory?q=${encodeURIComponent(` ${leaked.secret} `)}`)).toEqual([leaked.token.id]);
      const exported = await tenant.owner.get<TokenBody[]>(`/v1/tokens/export?format=json&q=${leaked.secret}`);
      expect(exported.status).toBe(200);
      expect(exported.body.map((t) => t.id)).toEqual([leaked.token.id]);
      // The export's audit event keeps the search as the displayed prefix, not the secret.
      const [event] = await auditEvents(tenant.owner, 'action=tokens.exported');
      expect(event?.data).toMatchObject({ filter: { q: `cus_live_${leaked.token.lookupId}…` } });
      expect(JSON.stringify(await auditEvents(tenant.owner))).not.toContain(leaked.secret);
      const output = verbose.output();
      expect(output).toContain(`/v1/inventory`);
      expect(output).not.toContain(leaked.secret);
      expect(output).not.toContain(leaked.secret.slice(9 + 12, -6));
    });

    it('finds a token by the prefix the Token column shows, with or without its ellipsis, or by its whole hint', async () => {
      const shown = `cus_live_${leaked.token.lookupId.slice(0, 5)}`;
      expect(await found(`/v1/inventory?q=${encodeURIComponent(`${shown}…`)}`)).toEqual([leaked.token.id]);
      expect(await found(`/v1/tokens?q=${shown}`)).toEqual([leaked.token.id]);
      expect(await found(`/v1/inventory?q=${encodeURIComponent(String(leaked.token.hint))}`)).toEqual([leaked.token.id]);
      expect(await found(`/v1/inventory?q=${encodeURIComponent(String(other.token.hint))}`)).toEqual([other.token.id]);
      // The environment is part of the prefix.
      expect(await found(`/v1/inventory?q=${encodeURIComponent(`cus_test_${leaked.token.lookupId.slice(0, 5)}…`)}`)).toEqual([]);
    });
  });
});
