import {
  ApiClient,
  asOwner,
  createService,
  issueToken,
  serviceKey,
  signupTenant,
  verifyToken,
  pollUntil,
  type IssuedBody,
  type TestTenant,
  type TokenBody,
} from '@custos/testing';

/**
 * The dashboard's read models over HTTP: GET /v1/inventory (the token list's filters plus sorting,
 * keyset pages in either direction and a capped count) and GET /v1/overview (figures at a glance).
 */
interface InventoryPage {
  items: TokenBody[];
  nextCursor: string | null;
  total: number;
  totalCapped: boolean;
}
interface Overview {
  byStatus: Record<string, number>;
  expiringSoon: number;
  rotationOverdue: number;
  unused: number;
  daily: Array<{ day: string; issued: number; revoked: number }>;
}

async function allPages(client: ApiClient, query: string, limit = 2): Promise<TokenBody[]> {
  const seen: TokenBody[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: InventoryPage } = await client.get<InventoryPage>(
      `/v1/inventory?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(res.status).toBe(200);
    seen.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return seen;
}

describe('dashboard read models over HTTP', () => {
  const api = ApiClient.fromEnv();

  describe('GET /v1/inventory', () => {
    let tenant: TestTenant;
    let tokens: IssuedBody[];

    beforeAll(async () => {
      tenant = await signupTenant(api, 'Inventory');
      // Issued in an order unlike their expiry order, so each sort visibly differs from creation order.
      tokens = [];
      for (const [name, hours] of [['Alpha one', 5], ['alpha two', 1], ['Beta', 9], ['gamma', 3], ['delta', 7]] as const) {
        tokens.push(await issueToken(tenant.owner, { name, expiresInSeconds: hours * 3600 }));
      }
    });

    it('pages through every token exactly once in each sort and direction', async () => {
      const byExpiry = [...tokens].sort((a, b) => a.token.expiresAt.localeCompare(b.token.expiresAt)).map((t) => t.token.id);
      const byCreation = tokens.map((t) => t.token.id);
      const cases: Array<[string, string[]]> = [
        ['sort=expiresAt&order=asc', byExpiry],
        ['sort=expiresAt&order=desc', [...byExpiry].reverse()],
        ['sort=createdAt&order=asc', byCreation],
        ['sort=createdAt&order=desc', [...byCreation].reverse()],
        ['', [...byCreation].reverse()],
      ];
      for (const [query, expected] of cases) {
        expect((await allPages(tenant.owner, query)).map((t) => t.id)).toEqual(expected);
      }
    });

    it('puts the most recently used first, never-used tokens last', async () => {
      const { client: verifier } = await serviceKey(tenant, ['custos:tokens:verify']);
      const used = tokens[2]!;
      expect((await verifyToken(verifier, used.secret)).code).toBe('VALID');
      // Usage is written in batches (CUSTOS_USAGE_FLUSH_INTERVAL_MS is 200 ms in tests).
      const first = await pollUntil(
        async () => (await tenant.owner.get<InventoryPage>('/v1/inventory?sort=lastUsedAt&order=desc&limit=1')).body.items[0],
        (t) => t?.id === used.token.id,
      );
      expect(first?.lastUsedAt).not.toBeNull();
      const ascending = await allPages(tenant.owner, 'sort=lastUsedAt&order=asc');
      expect(ascending.at(-1)?.id).toBe(used.token.id);
      expect(new Set(ascending.map((t) => t.id)).size).toBe(ascending.length);
    });

    it('finds a token by name prefix in any case, or by lookup id prefix, with a count', async () => {
      const byName = await tenant.owner.get<InventoryPage>('/v1/inventory?q=ALPHA');
      expect(byName.body.items.map((t) => t.name).sort()).toEqual(['Alpha one', 'alpha two']);
      expect(byName.body).toMatchObject({ total: 2, totalCapped: false });

      const target = tokens[3]!.token;
      const byLookup = await tenant.owner.get<InventoryPage>(`/v1/inventory?q=${target.lookupId.slice(0, 10)}`);
      expect(byLookup.body.items.map((t) => t.id)).toEqual([target.id]);
      // LIKE wildcards are literal characters here, not patterns.
      expect((await tenant.owner.get<InventoryPage>('/v1/inventory?q=%25')).body.total).toBe(0);
    });

    it('combines filters with sorting, and counts what matches, not what is shown', async () => {
      await tenant.owner.post(`/v1/tokens/${tokens[0]!.token.id}/revoke`, { reason: 'inventory test' });
      const res = await tenant.owner.get<InventoryPage>('/v1/inventory?status=active&sort=expiresAt&order=asc&limit=1');
      expect(res.body.items.map((t) => t.id)).toEqual([tokens[1]!.token.id]);
      // Four of the five issued tokens are still active, and so is the verify key.
      expect(res.body.total).toBe(5);
      expect(res.body.nextCursor).not.toBeNull();
    });

    it("refuses another sort's cursor rather than skipping or repeating rows", async () => {
      const page = await tenant.owner.get<InventoryPage>('/v1/inventory?sort=expiresAt&limit=1');
      const res = await tenant.owner.get<{ code: string; errors: Array<{ field: string }> }>(
        `/v1/inventory?sort=createdAt&limit=1&cursor=${encodeURIComponent(page.body.nextCursor!)}`,
      );
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e) => e.field)).toEqual(['cursor']);
    });
  });

  describe('GET /v1/overview', () => {
    it('counts by status, what needs attention, and the last 30 days', async () => {
      const tenant = await signupTenant(api, 'Overview');
      const soon = await issueToken(tenant.owner, { expiresInSeconds: 86_400 });
      const later = await issueToken(tenant.owner, { expiresInSeconds: 30 * 86_400, rotationIntervalSeconds: 7 * 86_400 });
      const old = await issueToken(tenant.owner, { expiresInSeconds: 60 * 86_400 });
      const revoked = await issueToken(tenant.owner, { expiresInSeconds: 3600 });
      const suspended = await issueToken(tenant.owner, { expiresInSeconds: 3600 });
      await tenant.owner.post(`/v1/tokens/${revoked.token.id}/revoke`, { reason: 'overview test' });
      await tenant.owner.post(`/v1/tokens/${suspended.token.id}/suspend`, {});
      // What only time can do: a rotation that came due, a token made 40 days ago and never used.
      await asOwner(async (db) => {
        await db.query(`UPDATE tokens SET next_rotation_at = now() - interval '1 hour' WHERE id = $1`, [later.token.id]);
        await db.query(`UPDATE tokens SET created_at = now() - interval '40 days' WHERE id = $1`, [old.token.id]);
      });

      const res = await tenant.owner.get<Overview>('/v1/overview');
      expect(res.status).toBe(200);
      expect(res.body.byStatus).toEqual({ active: 3, rotating: 0, suspended: 1, revoked: 1, expired: 0 });
      // The suspended token expires within the hour: it counts, as does `soon`.
      expect(res.body.expiringSoon).toBe(2);
      expect(res.body.rotationOverdue).toBe(1);
      expect(res.body.unused).toBe(1);
      expect(res.body.daily).toHaveLength(30);
      const today = new Date().toISOString().slice(0, 10);
      expect(res.body.daily.at(-1)).toEqual({ day: today, issued: 4, revoked: 1 });
      expect(res.body.daily.reduce((n, d) => n + d.issued, 0)).toBe(4);
      expect(soon.token.status).toBe('active');
    });

    it("counts one service's tokens with ownerServiceId (a service's page)", async () => {
      const tenant = await signupTenant(api, 'Overview per service');
      const orders = await createService(tenant.owner, { allowedScopes: ['orders:read'] });
      await issueToken(tenant.owner, { ownerServiceId: orders.id, expiresInSeconds: 86_400 });
      const revoked = await issueToken(tenant.owner, { ownerServiceId: orders.id });
      await tenant.owner.post(`/v1/tokens/${revoked.token.id}/revoke`, { reason: 'overview per service' });
      await issueToken(tenant.owner);

      const res = await tenant.owner.get<Overview>(`/v1/overview?ownerServiceId=${orders.id}`);
      expect(res.status).toBe(200);
      expect(res.body.byStatus).toEqual({ active: 1, rotating: 0, suspended: 0, revoked: 1, expired: 0 });
      expect(res.body.expiringSoon).toBe(1);
      expect(res.body.daily.at(-1)).toMatchObject({ issued: 2, revoked: 1 });
      expect((await tenant.owner.get<Overview>('/v1/overview')).body.byStatus.active).toBe(2);
    });

    it('is read-only for auditors and viewers too', async () => {
      const tenant = await signupTenant(api, 'Overview roles');
      const { client: viewerKey } = await serviceKey(tenant, ['custos:tokens:read']);
      expect((await viewerKey.get('/v1/overview')).status).toBe(200);
      const { client: noRead } = await serviceKey(tenant, ['custos:audit:read']);
      expect((await noRead.get<{ code: string }>('/v1/overview')).body.code).toBe('FORBIDDEN');
    });
  });
});
