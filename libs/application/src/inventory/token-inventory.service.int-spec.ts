import { ActorRepository, TokenInventoryRepository } from '@custos/persistence';
import { createTenant, insertTokenRow, insertTokenRows, setTenantPolicy, setTokenUsedFrom, useMediumDatabase } from '@custos/fixtures';
import type { Principal } from '../auth/principal';
import { INVENTORY_COUNT_CAP, TokenInventory, type InventoryFilter } from './token-inventory.service';

const reader = (tenantId: string): Principal => ({
  tenantId, kind: 'user', id: 'usr_reader', email: null, name: null, scopes: ['custos:tokens:read'], role: 'viewer', ownerServiceId: null, sessionId: null,
});

describe('TokenInventory (real database)', () => {
  const db = useMediumDatabase();
  const inventory = new TokenInventory(db, new TokenInventoryRepository(), new ActorRepository());
  let tenantId: string;

  /** Every page of a listing, followed through its cursors. */
  async function allPages(principal: Principal, filter: Omit<InventoryFilter, 'cursor'>): Promise<string[][]> {
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await inventory.list(principal, { ...filter, cursor });
      pages.push(page.items.map((t) => t.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pages.length < 10);
    return pages;
  }

  beforeAll(async () => {
    tenantId = await createTenant(db, 'inventory');
    // Created oldest first, alpha to echo; expiring in another order; used at some other moments, delta never.
    const tokens: Array<[string, string, string, string | null]> = [
      ['alpha', '5 hours', '4 days', '3 hours'],
      ['bravo', '4 hours', '2 days', '1 hour'],
      ['charlie', '3 hours', '5 days', '2 hours'],
      ['delta', '2 hours', '1 day', null],
      ['echo', '1 hour', '3 days', '30 minutes'],
    ];
    for (const [name, createdAgo, expiresIn, lastUsedAgo] of tokens) {
      await insertTokenRow(db, tenantId, { name, createdAgo, expiresIn, lastUsedAgo, status: name === 'charlie' ? 'suspended' : 'active' });
    }
    const other = await createTenant(db, 'inventory other');
    await insertTokenRow(db, other, { name: 'theirs' });
  });

  it('lists newest first by default, in keyset pages that together hold every token once', async () => {
    expect(await allPages(reader(tenantId), { limit: 2 })).toEqual([['echo', 'delta'], ['charlie', 'bravo'], ['alpha']]);
  });

  it('sorts by expiry or by last use, either way; never-used tokens count as the oldest use', async () => {
    expect((await allPages(reader(tenantId), { limit: 2, sort: 'expiresAt', order: 'asc' })).flat()).toEqual(['delta', 'bravo', 'echo', 'alpha', 'charlie']);
    expect((await allPages(reader(tenantId), { limit: 3, sort: 'lastUsedAt', order: 'asc' })).flat()).toEqual(['delta', 'alpha', 'charlie', 'bravo', 'echo']);
    expect((await allPages(reader(tenantId), { limit: 4, sort: 'lastUsedAt', order: 'desc' })).flat()).toEqual(['echo', 'bravo', 'charlie', 'alpha', 'delta']);
  });

  it("filters by where tokens were used — a country, a built-in region, the tenant's own — and by cross-border use, and shows it", async () => {
    const geoTenant = await createTenant(db, 'inventory geo');
    const berlin = await insertTokenRow(db, geoTenant, { name: 'berlin' });
    const boston = await insertTokenRow(db, geoTenant, { name: 'boston' });
    await insertTokenRow(db, geoTenant, { name: 'unused' });
    await setTokenUsedFrom(db, geoTenant, berlin.id, ['CH', 'DE']);
    await setTokenUsedFrom(db, geoTenant, boston.id, ['DE', 'US'], true);
    await setTenantPolicy(db, geoTenant, { regionGroups: [{ code: 'ALPS', countries: ['CH', 'AT'] }] });
    const names = async (filter: Omit<InventoryFilter, 'limit'>) => (await inventory.list(reader(geoTenant), { limit: 10, ...filter })).items.map((t) => t.name).sort();

    expect(await names({ usedIn: 'US' })).toEqual(['boston']);
    expect(await names({ usedIn: 'EU' })).toEqual(['berlin', 'boston']);
    expect(await names({ usedIn: 'ALPS' })).toEqual(['berlin']);
    expect(await names({ usedIn: 'NOWHERE' })).toEqual([]);
    expect(await names({ crossBorder: true })).toEqual(['boston']);
    expect(await names({ crossBorder: false })).toEqual(['berlin', 'unused']);
    const [shown] = (await inventory.list(reader(geoTenant), { limit: 1, usedIn: 'US' })).items;
    expect(shown).toMatchObject({ lastUsedCountry: 'US', regionsSeen: ['ADEQUACY', 'EEA', 'EU', 'US'], lastCrossBorderAt: expect.any(String) });
  });

  it('counts what the filter matches, beside the page', async () => {
    const page = await inventory.list(reader(tenantId), { limit: 1, status: ['active'] });
    expect([page.items.length, page.total, page.totalCapped]).toEqual([1, 4, false]);
    const byPrefix = await inventory.list(reader(tenantId), { limit: 10, q: 'Char' });
    expect(byPrefix.items.map((t) => [t.name, t.status])).toEqual([['charlie', 'suspended']]);
  });

  it('refuses a cursor of another sort order', async () => {
    const first = await inventory.list(reader(tenantId), { limit: 1, sort: 'expiresAt', order: 'asc' });
    await expect(inventory.list(reader(tenantId), { limit: 1, cursor: first.nextCursor! })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it(`stops counting past ${INVENTORY_COUNT_CAP} and says so`, async () => {
    const crowded = await createTenant(db, 'inventory crowded');
    await insertTokenRows(db, crowded, INVENTORY_COUNT_CAP + 2);
    const page = await inventory.list(reader(crowded), { limit: 5 });
    expect([page.items.length, page.total, page.totalCapped]).toEqual([5, INVENTORY_COUNT_CAP, true]);
  });

  it("needs the read permission", async () => {
    await expect(inventory.list({ ...reader(tenantId), scopes: [] }, { limit: 1 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
